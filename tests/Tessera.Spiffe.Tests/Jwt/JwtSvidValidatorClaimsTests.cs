using System.Text.Json.Nodes;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.Tests.Jwt;

/// <summary>Claim rules: sub (JWT-SVID §3.1), aud (§3.2), exp (§3.3) and the RFC 7519 time claims.</summary>
public sealed class JwtSvidValidatorClaimsTests
{
    private static readonly long NowSeconds = TokenBuilder.Now.ToUnixTimeSeconds();

    [Fact]
    public void Validate_MissingSubject_InvalidSubject() =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().Without("sub").Sign(TestKeys.P256)), JwtSvidError.InvalidSubject, "token has no 'sub' claim; JWT-SVID §3.1 requires the SPIFFE ID of the workload");

    [Fact]
    public void Validate_NonStringSubject_InvalidSubject() =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().With("sub", 5).Sign(TestKeys.P256)), JwtSvidError.InvalidSubject, "token 'sub' claim must be a string, not Number");

    [Theory]
    [InlineData("workload")]
    [InlineData("https://example.org/workload")]
    [InlineData("spiffe://Example.org/workload")]
    [InlineData("spiffe://example.org/a/../b")]
    [InlineData("spiffe:///workload")]
    public void Validate_SubjectNotSpiffeId_InvalidSubjectWithParserMessage(string sub)
    {
        Assert.False(SpiffeId.TryParse(sub, out _, out var error));

        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().With("sub", sub).Sign(TestKeys.P256)), JwtSvidError.InvalidSubject, $"token 'sub' claim is not a SPIFFE ID: {error}");
    }

    [Fact]
    public void Validate_MissingAudience_InvalidAudience() =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().Without("aud").Sign(TestKeys.P256)), JwtSvidError.InvalidAudience, "token has no 'aud' claim; JWT-SVID §3.2 requires at least one audience");

    public static TheoryData<string> BadAudiences => ["[]", "5", "null", "[\"reports\", 5]", "{\"reports\":true}"];

    [Theory]
    [MemberData(nameof(BadAudiences))]
    public void Validate_AudienceOfWrongShape_InvalidAudience(string aud) =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().With("aud", JsonNode.Parse(aud)).Sign(TestKeys.P256)), JwtSvidError.InvalidAudience, "token 'aud' claim must be a string or a non-empty array of strings (JWT-SVID §3.2, RFC 7519 §4.1.3)");

    [Fact]
    public void Validate_AudienceArrayContainingExpected_Accepted()
    {
        var svid = JwtAssert.Valid(JwtAssert.Validate(new TokenBuilder().With("aud", new JsonArray("billing", "reports")).Sign(TestKeys.P256)));

        Assert.Equal(["billing", "reports"], svid.Audience);
    }

    [Theory]
    [InlineData("\"billing\"", "'billing'")]
    [InlineData("[\"billing\",\"Reports\"]", "'billing', 'Reports'")]
    [InlineData("\"reports \"", "'reports '")]
    public void Validate_AudienceWithoutExpected_AudienceMismatch(string aud, string shown) =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().With("aud", JsonNode.Parse(aud)).Sign(TestKeys.P256)), JwtSvidError.AudienceMismatch, $"token audience [{shown}] does not contain 'reports' (JWT-SVID §3.2)");

    [Fact]
    public void Validate_MissingExpiry_MissingExpiry() =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().Without("exp").Sign(TestKeys.P256)), JwtSvidError.MissingExpiry, "token has no 'exp' claim; JWT-SVID §3.3 requires one");

    public static TheoryData<string, string> BadNumericDates => new()
    {
        { "exp", "\"9999999999\"" },
        { "exp", "null" },
        { "exp", "1e300" },
        { "exp", "-1e15" },
        { "iat", "true" },
        { "nbf", "[1]" },
    };

    [Theory]
    [MemberData(nameof(BadNumericDates))]
    public void Validate_TimeClaimNotNumericDate_InvalidClaim(string claim, string value) =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().With(claim, JsonNode.Parse(value)).Sign(TestKeys.P256)), JwtSvidError.InvalidClaim, $"token '{claim}' claim must be a NumericDate, a number of seconds since 1970 (RFC 7519 §2)");

    [Fact]
    public void Validate_NonStringJwtId_InvalidClaim() =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().With("jti", 1).Sign(TestKeys.P256)), JwtSvidError.InvalidClaim, "token 'jti' claim must be a string (RFC 7519 §4.1.7), not Number");

    [Fact]
    public void Validate_FractionalExpiry_Accepted()
    {
        var svid = JwtAssert.Valid(JwtAssert.Validate(new TokenBuilder().With("exp", NowSeconds + 60.5).Sign(TestKeys.P256)));

        Assert.Equal(TokenBuilder.Now.AddSeconds(60.5), svid.Expiry);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 0)]
    [InlineData(-30, 30)]
    [InlineData(-31, 30)]
    public void Validate_ExpiryReached_Expired(long offset, int leewaySeconds)
    {
        var token = new TokenBuilder().With("exp", NowSeconds + offset).With("iat", NowSeconds - 100).Sign(TestKeys.P256);
        var exp = DateTimeOffset.FromUnixTimeSeconds(NowSeconds + offset);

        JwtAssert.Rejected(JwtAssert.Validate(token, TimeSpan.FromSeconds(leewaySeconds)), JwtSvidError.Expired, $"token expired at {exp:O} (now {TokenBuilder.Now:O}, leeway {TimeSpan.FromSeconds(leewaySeconds)})");
    }

    [Fact]
    public void Validate_ExpiredWithinLeeway_Accepted() =>
        JwtAssert.Valid(JwtAssert.Validate(new TokenBuilder().With("exp", NowSeconds - 29).With("iat", NowSeconds - 100).Sign(TestKeys.P256), TimeSpan.FromSeconds(30)));

    [Fact]
    public void Validate_NotBeforeInFuture_NotYetValid()
    {
        var nbf = TokenBuilder.Now.AddSeconds(31);
        var token = new TokenBuilder().With("nbf", nbf.ToUnixTimeSeconds()).Sign(TestKeys.P256);

        JwtAssert.Rejected(JwtAssert.Validate(token, TimeSpan.FromSeconds(30)), JwtSvidError.NotYetValid, $"token is not valid before {nbf:O} (now {TokenBuilder.Now:O}, leeway 00:00:30)");
    }

    [Fact]
    public void Validate_NotBeforeWithinLeeway_Accepted() =>
        JwtAssert.Valid(JwtAssert.Validate(new TokenBuilder().With("nbf", NowSeconds + 30).Sign(TestKeys.P256), TimeSpan.FromSeconds(30)));

    [Fact]
    public void Validate_IssuedInFuture_NotYetValid()
    {
        var iat = TokenBuilder.Now.AddSeconds(60);
        var token = new TokenBuilder().With("iat", iat.ToUnixTimeSeconds()).Sign(TestKeys.P256);

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.NotYetValid, $"token was issued in the future, at {iat:O} (now {TokenBuilder.Now:O}, leeway 00:00:00)");
    }

    [Fact]
    public void Validate_TimeProviderOverload_UsesProviderClock()
    {
        var token = new TokenBuilder().Sign(TestKeys.P256);

        Assert.True(JwtSvidValidator.Validate(token, JwtAssert.Bundle, "reports", new FixedTimeProvider(TokenBuilder.Now), TimeSpan.Zero).IsValid);
        Assert.Equal(JwtSvidError.Expired, JwtSvidValidator.Validate(token, JwtAssert.Bundle, "reports", new FixedTimeProvider(TokenBuilder.Now.AddHours(1)), TimeSpan.Zero).Error);
    }

    [Fact]
    public void ParseInsecure_BadSignatureAndNoKeyId_AcceptedWithoutVerification()
    {
        var token = new TokenBuilder().WithoutHeader("kid").With("exp", NowSeconds - 3600).With("iat", NowSeconds - 7200).WithSignature([1, 2, 3]);

        var result = JwtSvid.ParseInsecure(token, "reports");

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(string.Empty, result.Svid.KeyId);
    }

    [Fact]
    public void ParseInsecure_WrongAudience_AudienceMismatch() =>
        JwtAssert.Rejected(JwtSvid.ParseInsecure(new TokenBuilder().WithSignature([1]), "billing"), JwtSvidError.AudienceMismatch, "token audience ['reports'] does not contain 'billing' (JWT-SVID §3.2)");

    [Fact]
    public void ParseInsecure_DisallowedAlgorithm_UnsupportedAlgorithm() =>
        Assert.Equal(JwtSvidError.UnsupportedAlgorithm, JwtSvid.ParseInsecure(new TokenBuilder().WithHeader("alg", "none").WithSignature([]), "reports").Error);

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
