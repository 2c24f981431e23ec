using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Tessera.Spiffe.Bundles.Internal;

namespace Tessera.Spiffe.Jwt.Internal;

/// <summary>
/// Splits and decodes a JWT-SVID and checks its header and the types of its claims. Returns a failure
/// instead of throwing: every input comes from a peer.
/// </summary>
internal static class JwtParser
{
    /// <summary>Parses <paramref name="token"/>; on failure returns false with the result to hand back.</summary>
    public static bool TryParse(
        string? token,
        int maxLength,
        bool requireKeyId,
        [NotNullWhen(true)] out ParsedJwt? jwt,
        [NotNullWhen(false)] out JwtSvidValidationResult? failure)
    {
        jwt = null;
        if (string.IsNullOrEmpty(token))
        {
            failure = Fail(JwtSvidError.Malformed, "token is empty");
            return false;
        }

        // The size cap comes before any decoding, so an oversized input costs nothing.
        if (token.Length > maxLength)
        {
            failure = Fail(JwtSvidError.TooLarge, $"token is {token.Length} characters; the limit is {maxLength}");
            return false;
        }

        // JWT-SVID §5.1: JWS compact serialization only (RFC 7515 §3.1), so exactly three parts. This also
        // rejects JWS JSON serialization and five-part JWE tokens.
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            failure = Fail(JwtSvidError.Malformed, $"token must be JWS compact serialization, three base64url parts separated by '.' (JWT-SVID §5.1); it has {parts.Length} part(s)");
            return false;
        }

        if (!TryDecodeJson(parts[0], "header", out var header, out failure)
            || !TryReadHeader(header.Value, requireKeyId, out var algorithm, out var keyId, out failure)
            || !TryDecodeJson(parts[1], "payload", out var claims, out failure)
            || !TryDecodeSignature(parts[2], out var signature, out failure)
            || !JwtClaimsReader.TryRead(claims.Value, out var subject, out var audience, out var times, out var jwtId, out failure))
        {
            return false;
        }

        var signingInput = Encoding.ASCII.GetBytes(token, 0, parts[0].Length + 1 + parts[1].Length);
        jwt = new ParsedJwt(token, algorithm, keyId, signingInput, signature, subject, audience, times.Expiry, times.IssuedAt, times.NotBefore, jwtId, claims.Value);
        return true;
    }

    /// <summary>Returns at most 64 printable ASCII characters of a value taken from a token, for messages.</summary>
    public static string Sanitize(string value) => StrictJson.Printable(value);

    /// <summary>Creates a failed result.</summary>
    public static JwtSvidValidationResult Fail(JwtSvidError error, string message) => JwtSvidValidationResult.Failure(error, message);

    private static bool TryDecodeJson(string part, string name, [NotNullWhen(true)] out JsonElement? element, [NotNullWhen(false)] out JwtSvidValidationResult? failure)
    {
        element = null;
        if (!Base64UrlStrict.TryDecode(part, out var bytes) || bytes.Length == 0)
        {
            failure = Fail(JwtSvidError.Malformed, $"token {name} is not unpadded base64url (RFC 7515 §2)");
            return false;
        }

        try
        {
            using var document = StrictJson.Parse(bytes, $"token {name}");
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                failure = Fail(JwtSvidError.Malformed, $"token {name} must be a JSON object, not {document.RootElement.ValueKind}");
                return false;
            }

            element = document.RootElement.Clone();
            failure = null;
            return true;
        }
        catch (FormatException ex)
        {
            failure = Fail(JwtSvidError.Malformed, ex.Message);
            return false;
        }
    }

    private static bool TryDecodeSignature(string part, out byte[] signature, [NotNullWhen(false)] out JwtSvidValidationResult? failure)
    {
        if (!Base64UrlStrict.TryDecode(part, out signature))
        {
            failure = Fail(JwtSvidError.Malformed, "token signature is not unpadded base64url (RFC 7515 §2)");
            return false;
        }

        failure = null;
        return true;
    }

    private static bool TryReadHeader(JsonElement header, bool requireKeyId, out JwtSvidAlgorithm algorithm, out string keyId, [NotNullWhen(false)] out JwtSvidValidationResult? failure)
    {
        algorithm = default;
        keyId = string.Empty;

        // JWT-SVID §2.1 and §4: alg must be one of nine asymmetric algorithms, checked before anything else is
        // trusted. This rejects "none" and the HMAC algorithms, whose "key" would be public bundle material.
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String)
        {
            failure = Fail(JwtSvidError.UnsupportedAlgorithm, $"token header has no string 'alg'; expected one of {JwsAlgorithms.AllowedList} (JWT-SVID §2.1)");
            return false;
        }

        if (!JwsAlgorithms.TryParse(alg.GetString()!, out algorithm))
        {
            failure = Fail(JwtSvidError.UnsupportedAlgorithm, $"algorithm '{Sanitize(alg.GetString()!)}' is not allowed for JWT-SVIDs; expected one of {JwsAlgorithms.AllowedList} (JWT-SVID §2.1)");
            return false;
        }

        // JWT-SVID §2.3: typ is optional; if present it must be exactly JWT or JOSE.
        if (header.TryGetProperty("typ", out var typ) && !(typ.ValueKind == JsonValueKind.String && typ.GetString() is "JWT" or "JOSE"))
        {
            var shown = typ.ValueKind == JsonValueKind.String ? Sanitize(typ.GetString()!) : typ.ValueKind.ToString();
            failure = Fail(JwtSvidError.InvalidHeader, $"token header 'typ' is '{shown}'; JWT-SVID §2.3 allows only JWT or JOSE");
            return false;
        }

        // JWT-SVID §2 permits only alg, kid and typ, and RFC 7515 §4.1.11 requires rejecting critical
        // extensions one does not understand (e.g. b64=false). Other unknown headers (cty, jku, x5u, ...)
        // are ignored rather than rejected, as go-spiffe does: they are never used to pick or fetch a key.
        if (header.TryGetProperty("crit", out _))
        {
            failure = Fail(JwtSvidError.InvalidHeader, "token header has 'crit'; JWT-SVID §2 allows only alg, kid and typ, and no critical extension is supported");
            return false;
        }

        if (header.TryGetProperty("kid", out var kid))
        {
            if (kid.ValueKind != JsonValueKind.String)
            {
                failure = Fail(JwtSvidError.InvalidHeader, $"token header 'kid' must be a string, not {kid.ValueKind}");
                return false;
            }

            keyId = kid.GetString()!;
        }

        // JWT-SVID §2.2 makes kid optional, but a bundle holds several keys and trying each would let one
        // token probe them all; like go-spiffe, Tessera requires kid to choose the key.
        if (requireKeyId && keyId.Length == 0)
        {
            failure = Fail(JwtSvidError.MissingKeyId, "token header has no 'kid'; Tessera (like go-spiffe) requires it to find the signing key in the bundle");
            return false;
        }

        failure = null;
        return true;
    }
}
