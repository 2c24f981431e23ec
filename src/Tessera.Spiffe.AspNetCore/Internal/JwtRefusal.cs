using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.AspNetCore.Internal;

/// <summary>
/// Why a bearer token was refused: a stable error name, the description sent to the caller in
/// <c>WWW-Authenticate</c> (fixed text, never a value copied from the token), and the detail written to the log.
/// </summary>
internal sealed record JwtRefusal(string Error, string Description, string Detail)
{
    public static JwtRefusal FromValidation(JwtSvidValidationResult result) =>
        new(result.Error.ToString(), Describe(result.Error), result.Message ?? result.Error.ToString());

    /// <summary>A token that verified but is on the deny list; <paramref name="why"/> names the record (for the log only).</summary>
    public static JwtRefusal Revoked(string why) => new("Revoked", "the token is revoked", why);

    // Fixed phrases: the validator's own messages quote token values and are meant for logs, not peers.
    private static string Describe(JwtSvidError error) => error switch
    {
        JwtSvidError.TooLarge => "the token is too large",
        JwtSvidError.Malformed => "the token is not a well-formed JWT",
        JwtSvidError.UnsupportedAlgorithm => "the token's signature algorithm is not allowed",
        JwtSvidError.InvalidHeader => "the token header is not allowed",
        JwtSvidError.MissingKeyId => "the token has no key ID",
        JwtSvidError.InvalidSubject => "the token subject is not a SPIFFE ID",
        JwtSvidError.InvalidAudience => "the token has no valid audience",
        JwtSvidError.AudienceMismatch => "the token is not for this audience",
        JwtSvidError.MissingExpiry => "the token has no expiry",
        JwtSvidError.InvalidClaim => "a registered claim of the token is invalid",
        JwtSvidError.Expired => "the token expired",
        JwtSvidError.NotYetValid => "the token is not valid yet",
        JwtSvidError.BundleNotFound => "the token's trust domain is not trusted",
        JwtSvidError.AuthorityNotFound => "the token's signing key is unknown",
        JwtSvidError.KeyMismatch => "the token's algorithm does not fit its signing key",
        JwtSvidError.InvalidSignature => "the token signature is invalid",
        _ => "the token is invalid",
    };
}
