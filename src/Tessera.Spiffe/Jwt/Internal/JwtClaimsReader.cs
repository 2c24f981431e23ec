using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Jwt.Internal;

/// <summary>Reads and type-checks the registered claims of a JWT-SVID (JWT-SVID §3, RFC 7519 §4.1).</summary>
internal static class JwtClaimsReader
{
    // DateTimeOffset's range in Unix seconds, one second inside each end so fractional values stay in range.
    private const double MinUnixSeconds = -62135596799;
    private const double MaxUnixSeconds = 253402300798;

    /// <summary>The time claims of a token.</summary>
    public readonly record struct Times(DateTimeOffset Expiry, DateTimeOffset? IssuedAt, DateTimeOffset? NotBefore);

    /// <summary>Reads sub, aud, exp, iat, nbf and jti; on failure returns false with the result to hand back.</summary>
    public static bool TryRead(
        JsonElement claims,
        out SpiffeId subject,
        [NotNullWhen(true)] out string[]? audience,
        out Times times,
        out string? jwtId,
        [NotNullWhen(false)] out JwtSvidValidationResult? failure)
    {
        subject = default;
        audience = null;
        times = default;
        jwtId = null;
        return TryReadSubject(claims, out subject, out failure)
            && TryReadAudience(claims, out audience, out failure)
            && TryReadTimes(claims, out times, out failure)
            && TryReadJwtId(claims, out jwtId, out failure);
    }

    private static bool TryReadSubject(JsonElement claims, out SpiffeId subject, [NotNullWhen(false)] out JwtSvidValidationResult? failure)
    {
        subject = default;

        // JWT-SVID §3.1: sub MUST be the SPIFFE ID of the workload.
        if (!claims.TryGetProperty("sub", out var sub))
        {
            failure = JwtParser.Fail(JwtSvidError.InvalidSubject, "token has no 'sub' claim; JWT-SVID §3.1 requires the SPIFFE ID of the workload");
            return false;
        }

        if (sub.ValueKind != JsonValueKind.String)
        {
            failure = JwtParser.Fail(JwtSvidError.InvalidSubject, $"token 'sub' claim must be a string, not {sub.ValueKind}");
            return false;
        }

        if (!SpiffeId.TryParse(sub.GetString(), out subject, out var error))
        {
            failure = JwtParser.Fail(JwtSvidError.InvalidSubject, $"token 'sub' claim is not a SPIFFE ID: {error}");
            return false;
        }

        failure = null;
        return true;
    }

    private static bool TryReadAudience(JsonElement claims, [NotNullWhen(true)] out string[]? audience, [NotNullWhen(false)] out JwtSvidValidationResult? failure)
    {
        audience = null;

        // JWT-SVID §3.2: aud MUST be present with one or more values; RFC 7519 §4.1.3 allows a string or an array of strings.
        if (!claims.TryGetProperty("aud", out var aud))
        {
            failure = JwtParser.Fail(JwtSvidError.InvalidAudience, "token has no 'aud' claim; JWT-SVID §3.2 requires at least one audience");
            return false;
        }

        if (aud.ValueKind == JsonValueKind.String)
        {
            audience = [aud.GetString()!];
        }
        else if (aud.ValueKind == JsonValueKind.Array && aud.GetArrayLength() > 0 && aud.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String))
        {
            audience = [.. aud.EnumerateArray().Select(a => a.GetString()!)];
        }
        else
        {
            failure = JwtParser.Fail(JwtSvidError.InvalidAudience, "token 'aud' claim must be a string or a non-empty array of strings (JWT-SVID §3.2, RFC 7519 §4.1.3)");
            return false;
        }

        failure = null;
        return true;
    }

    private static bool TryReadTimes(JsonElement claims, out Times times, [NotNullWhen(false)] out JwtSvidValidationResult? failure)
    {
        times = default;

        // JWT-SVID §3.3: exp MUST be set.
        if (!claims.TryGetProperty("exp", out _))
        {
            failure = JwtParser.Fail(JwtSvidError.MissingExpiry, "token has no 'exp' claim; JWT-SVID §3.3 requires one");
            return false;
        }

        if (!TryReadNumericDate(claims, "exp", out var exp, out failure)
            || !TryReadNumericDate(claims, "iat", out var iat, out failure)
            || !TryReadNumericDate(claims, "nbf", out var nbf, out failure))
        {
            return false;
        }

        times = new Times(exp!.Value, iat, nbf);
        return true;
    }

    private static bool TryReadNumericDate(JsonElement claims, string name, out DateTimeOffset? value, [NotNullWhen(false)] out JwtSvidValidationResult? failure)
    {
        value = null;
        failure = null;
        if (!claims.TryGetProperty(name, out var element))
        {
            return true;
        }

        // RFC 7519 §2: a NumericDate is a JSON number of seconds since the epoch, possibly fractional.
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetDouble(out var seconds)
            || !double.IsFinite(seconds) || seconds is < MinUnixSeconds or > MaxUnixSeconds)
        {
            failure = JwtParser.Fail(JwtSvidError.InvalidClaim, $"token '{name}' claim must be a NumericDate, a number of seconds since 1970 (RFC 7519 §2)");
            return false;
        }

        value = element.TryGetInt64(out var whole)
            ? DateTimeOffset.FromUnixTimeSeconds(whole)
            : DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
        return true;
    }

    private static bool TryReadJwtId(JsonElement claims, out string? jwtId, [NotNullWhen(false)] out JwtSvidValidationResult? failure)
    {
        jwtId = null;
        failure = null;
        if (!claims.TryGetProperty("jti", out var jti))
        {
            return true;
        }

        if (jti.ValueKind != JsonValueKind.String)
        {
            failure = JwtParser.Fail(JwtSvidError.InvalidClaim, $"token 'jti' claim must be a string (RFC 7519 §4.1.7), not {jti.ValueKind}");
            return false;
        }

        jwtId = jti.GetString();
        return true;
    }
}
