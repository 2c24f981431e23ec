using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Jwt.Internal;

namespace Tessera.Spiffe.Jwt;

/// <summary>
/// Validates JWT-SVIDs against JWT bundles (JWT-SVID §4 and Appendix A). Every rejection is a result,
/// never an exception, and anything unexpected is a rejection (fail closed).
/// </summary>
public static class JwtSvidValidator
{
    /// <summary>The longest token accepted, in characters (64 KiB); longer tokens are rejected before parsing.</summary>
    public const int MaxTokenLength = 64 * 1024;

    /// <summary>
    /// Validates <paramref name="token"/>: structure, header, claims, the signing key (the <c>kid</c> in the JWT
    /// bundle of the subject's trust domain), the signature, the audience and the times.
    /// </summary>
    /// <param name="token">The token in JWS compact serialization (without a <c>Bearer </c> prefix).</param>
    /// <param name="bundles">Where to find the JWT bundle of the subject's trust domain.</param>
    /// <param name="audience">The audience this validator identifies as; the token's <c>aud</c> must contain it.</param>
    /// <param name="now">The current time.</param>
    /// <param name="leeway">How much clock skew to allow for <c>exp</c>, <c>nbf</c> and <c>iat</c>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="bundles"/> or <paramref name="audience"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="audience"/> is empty or <paramref name="leeway"/> is negative.</exception>
    public static JwtSvidValidationResult Validate(string token, IJwtBundleSource bundles, string audience, DateTimeOffset now, TimeSpan leeway)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        ArgumentOutOfRangeException.ThrowIfLessThan(leeway, TimeSpan.Zero);

        if (!JwtParser.TryParse(token, MaxTokenLength, requireKeyId: true, out var jwt, out var failure))
        {
            return failure;
        }

        // The key comes from the bundle of the subject's own trust domain only, so one trust domain's keys
        // can never vouch for another's identities (SPIFFE Trust Domain and Bundle §6.2).
        var trustDomain = jwt.Subject.TrustDomain;
        if (!bundles.TryGetJwtBundle(trustDomain, out var bundle))
        {
            return JwtParser.Fail(JwtSvidError.BundleNotFound, $"no JWT bundle for trust domain '{trustDomain}'");
        }

        if (bundle.TrustDomain != trustDomain)
        {
            // A misbehaving source must not make another trust domain's keys vouch for this one.
            return JwtParser.Fail(JwtSvidError.BundleNotFound, $"the bundle source returned the JWT bundle of '{bundle.TrustDomain}' for trust domain '{trustDomain}'");
        }

        if (!bundle.TryGetAuthority(jwt.KeyId, out var authority))
        {
            return JwtParser.Fail(JwtSvidError.AuthorityNotFound, $"no JWT authority with key ID '{JwtParser.Sanitize(jwt.KeyId)}' in the bundle of '{trustDomain}'");
        }

        if (JwsAlgorithms.KeyProblem(jwt.Algorithm, authority.KeyType, authority.Curve, authority.KeySize) is { } problem)
        {
            return JwtParser.Fail(JwtSvidError.KeyMismatch, $"key '{JwtParser.Sanitize(jwt.KeyId)}': {problem}");
        }

        if (JwsAlgorithms.EcSignatureSize(jwt.Algorithm) is { } size && jwt.Signature.Length != size)
        {
            return JwtParser.Fail(JwtSvidError.InvalidSignature, $"{JwsAlgorithms.Name(jwt.Algorithm)} signature must be {size} bytes (r||s, RFC 7518 §3.4), but it is {jwt.Signature.Length}");
        }

        if (!JwsAlgorithms.Verify(jwt.Algorithm, authority, jwt.SigningInput, jwt.Signature))
        {
            return JwtParser.Fail(JwtSvidError.InvalidSignature, $"signature does not verify with key '{JwtParser.Sanitize(jwt.KeyId)}'");
        }

        // Claims are judged only once the signature holds, as go-spiffe does: a forged token learns nothing
        // about which claim checks it would pass.
        return CheckAudience(jwt, audience) ?? CheckTimes(jwt, now, leeway) ?? JwtSvidValidationResult.Success(new JwtSvid(jwt));
    }

    /// <summary>Validates <paramref name="token"/> at the current time of <paramref name="timeProvider"/>.</summary>
    /// <inheritdoc cref="Validate(string, IJwtBundleSource, string, DateTimeOffset, TimeSpan)"/>
    public static JwtSvidValidationResult Validate(string token, IJwtBundleSource bundles, string audience, TimeProvider timeProvider, TimeSpan leeway)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Validate(token, bundles, audience, timeProvider.GetUtcNow(), leeway);
    }

    /// <summary>Checks everything but the signature and the times; see <see cref="JwtSvid.ParseInsecure"/>.</summary>
    internal static JwtSvidValidationResult ParseInsecure(string token, string audience)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        if (!JwtParser.TryParse(token, MaxTokenLength, requireKeyId: false, out var jwt, out var failure))
        {
            return failure;
        }

        return CheckAudience(jwt, audience) ?? JwtSvidValidationResult.Success(new JwtSvid(jwt));
    }

    private static JwtSvidValidationResult? CheckAudience(ParsedJwt jwt, string audience) =>

        // JWT-SVID §3.2: reject unless the validator's own audience is one of the values (exact match).
        Array.Exists(jwt.Audience, a => string.Equals(a, audience, StringComparison.Ordinal))
            ? null
            : JwtParser.Fail(JwtSvidError.AudienceMismatch, $"token audience [{string.Join(", ", jwt.Audience.Take(8).Select(a => "'" + JwtParser.Sanitize(a) + "'"))}] does not contain '{JwtParser.Sanitize(audience)}' (JWT-SVID §3.2)");

    private static JwtSvidValidationResult? CheckTimes(ParsedJwt jwt, DateTimeOffset now, TimeSpan leeway)
    {
        // Tick arithmetic on the side that cannot overflow, whatever the leeway.
        var nowTicks = now.UtcTicks;

        // RFC 7519 §4.1.4: the token must not be accepted on or after exp (JWT-SVID Appendix A allows some leeway).
        if (nowTicks - leeway.Ticks >= jwt.Expiry.UtcTicks)
        {
            return JwtParser.Fail(JwtSvidError.Expired, $"token expired at {jwt.Expiry:O} (now {now.ToUniversalTime():O}, leeway {leeway})");
        }

        // RFC 7519 §4.1.5: not before nbf.
        if (jwt.NotBefore is { } nbf && nbf.UtcTicks - leeway.Ticks > nowTicks)
        {
            return JwtParser.Fail(JwtSvidError.NotYetValid, $"token is not valid before {nbf:O} (now {now.ToUniversalTime():O}, leeway {leeway})");
        }

        // A token issued in the future comes from a skewed or lying clock; go-spiffe (through go-jose) rejects it too.
        if (jwt.IssuedAt is { } iat && iat.UtcTicks - leeway.Ticks > nowTicks)
        {
            return JwtParser.Fail(JwtSvidError.NotYetValid, $"token was issued in the future, at {iat:O} (now {now.ToUniversalTime():O}, leeway {leeway})");
        }

        return null;
    }
}
