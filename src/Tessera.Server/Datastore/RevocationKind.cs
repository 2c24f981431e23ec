namespace Tessera.Server.Datastore;

/// <summary>What a <see cref="Revocation"/> names.</summary>
internal enum RevocationKind
{
    /// <summary>One X509-SVID, by its leaf serial (upper-case hex, as <c>X509Certificate2.SerialNumber</c>).</summary>
    X509Serial,

    /// <summary>One JWT-SVID, by its <c>jti</c> claim.</summary>
    JwtId,

    /// <summary>
    /// Every JWT-SVID of an identity issued (<c>iat</c>) before <see cref="Revocation.RevokedAt"/>; the value is the
    /// SPIFFE ID. Tokens minted afterwards are unaffected.
    /// </summary>
    JwtIssuedBefore,

    /// <summary>
    /// Every chain through an X.509 CA key, by its subject key identifier (upper-case hex): an intermediate the CA
    /// stopped using under an upstream authority, whose root relying parties still trust. Kept until it expires.
    /// </summary>
    X509Authority,
}
