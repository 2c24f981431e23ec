namespace Tessera.Spiffe.Jwt;

/// <summary>Why a JWT-SVID was rejected; <see cref="None"/> when it was accepted.</summary>
public enum JwtSvidError
{
    /// <summary>No error: the token is valid.</summary>
    None,

    /// <summary>The token is longer than <see cref="JwtSvidValidator.MaxTokenLength"/>; nothing was parsed.</summary>
    TooLarge,

    /// <summary>The token is not JWS compact serialization of three strict base64url parts holding JSON objects (JWT-SVID §5.1).</summary>
    Malformed,

    /// <summary>The <c>alg</c> header is missing or not one of the nine algorithms of JWT-SVID §2.1.</summary>
    UnsupportedAlgorithm,

    /// <summary>A header is not allowed: <c>typ</c> other than JWT/JOSE (JWT-SVID §2.3), <c>crit</c>, or a <c>kid</c> that is not a string.</summary>
    InvalidHeader,

    /// <summary>The <c>kid</c> header is missing or empty, so the signing key cannot be looked up.</summary>
    MissingKeyId,

    /// <summary>The <c>sub</c> claim is missing or not a SPIFFE ID (JWT-SVID §3.1).</summary>
    InvalidSubject,

    /// <summary>The <c>aud</c> claim is missing, empty, or not a string or array of strings (JWT-SVID §3.2).</summary>
    InvalidAudience,

    /// <summary>The <c>aud</c> claim does not contain the expected audience (JWT-SVID §3.2).</summary>
    AudienceMismatch,

    /// <summary>The <c>exp</c> claim is missing (JWT-SVID §3.3).</summary>
    MissingExpiry,

    /// <summary>A registered claim has the wrong type or range (<c>exp</c>, <c>nbf</c>, <c>iat</c> not NumericDate; <c>jti</c> not a string).</summary>
    InvalidClaim,

    /// <summary>The token expired (with the leeway taken into account).</summary>
    Expired,

    /// <summary>The token is not valid yet: <c>nbf</c> or <c>iat</c> is in the future beyond the leeway.</summary>
    NotYetValid,

    /// <summary>There is no JWT bundle for the trust domain of the subject.</summary>
    BundleNotFound,

    /// <summary>The JWT bundle has no key with the token's <c>kid</c>.</summary>
    AuthorityNotFound,

    /// <summary>The key named by <c>kid</c> does not fit <c>alg</c> (wrong type, curve or size); prevents algorithm confusion.</summary>
    KeyMismatch,

    /// <summary>The signature does not verify.</summary>
    InvalidSignature,
}
