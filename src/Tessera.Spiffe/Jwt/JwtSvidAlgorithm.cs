namespace Tessera.Spiffe.Jwt;

/// <summary>
/// The signature algorithms a JWT-SVID may use (JWT-SVID §2.1: RFC 7518 §3.3, §3.4 and §3.5). The names
/// are the JOSE <c>alg</c> values.
/// </summary>
public enum JwtSvidAlgorithm
{
    /// <summary>ECDSA using P-256 and SHA-256.</summary>
    ES256,

    /// <summary>ECDSA using P-384 and SHA-384.</summary>
    ES384,

    /// <summary>ECDSA using P-521 and SHA-512.</summary>
    ES512,

    /// <summary>RSASSA-PKCS1-v1_5 using SHA-256.</summary>
    RS256,

    /// <summary>RSASSA-PKCS1-v1_5 using SHA-384.</summary>
    RS384,

    /// <summary>RSASSA-PKCS1-v1_5 using SHA-512.</summary>
    RS512,

    /// <summary>RSASSA-PSS using SHA-256 and MGF1 with SHA-256.</summary>
    PS256,

    /// <summary>RSASSA-PSS using SHA-384 and MGF1 with SHA-384.</summary>
    PS384,

    /// <summary>RSASSA-PSS using SHA-512 and MGF1 with SHA-512.</summary>
    PS512,
}
