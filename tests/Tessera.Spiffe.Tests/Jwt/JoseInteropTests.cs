using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.Tests.Jwt;

/// <summary>Interop with the standard `jose` library, in both directions (see interop/jose/*.mjs).</summary>
public sealed class JoseInteropTests(JoseFixture jose) : IClassFixture<JoseFixture>
{
    public static TheoryData<string> Algorithms => [.. JoseFixture.Algorithms];

    private JwtSvidValidationResult Validate(string name) =>
        JwtSvidValidator.Validate((string)jose.JoseTokens[name]!, jose.JoseBundle, "reports", TokenBuilder.Now, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void Validate_JoseMintedToken_Valid(string alg)
    {
        var svid = JwtAssert.Valid(Validate("valid-" + alg));

        Assert.Equal(alg, svid.Algorithm.ToString());
        Assert.Equal(alg + "-key", svid.KeyId);
        Assert.Equal("spiffe://example.org/workload", svid.Id.ToString());
        Assert.Equal("jose-1", svid.JwtId);
    }

    [Fact]
    public void Parse_JoseJwksAsSpiffeBundle_AllKeysAndTheX509EntrySeparated()
    {
        Assert.Equal(JoseFixture.Algorithms.Select(a => a + "-key"), jose.JoseBundle.JwtBundle.Authorities.Select(a => a.KeyId));
        Assert.Single(jose.JoseBundle.X509Bundle.Authorities);
    }

    [Fact]
    public void Validate_JoseMintedMultipleAudiences_Valid() =>
        Assert.Equal(["billing", "reports"], JwtAssert.Valid(Validate("multi-aud")).Audience);

    [Fact]
    public void Validate_JoseHs256Token_UnsupportedAlgorithm() =>
        JwtAssert.Rejected(Validate("hs256"), JwtSvidError.UnsupportedAlgorithm, "algorithm 'HS256' is not allowed for JWT-SVIDs; expected one of RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512 (JWT-SVID §2.1)");

    [Fact]
    public void Validate_UnsecuredNoneToken_UnsupportedAlgorithm() =>
        JwtAssert.Rejected(Validate("none"), JwtSvidError.UnsupportedAlgorithm, "algorithm 'none' is not allowed for JWT-SVIDs; expected one of RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512 (JWT-SVID §2.1)");

    [Fact]
    public void Validate_JoseTokenForOtherAudience_AudienceMismatch() =>
        JwtAssert.Rejected(Validate("wrong-aud"), JwtSvidError.AudienceMismatch, "token audience ['billing'] does not contain 'reports' (JWT-SVID §3.2)");

    [Fact]
    public void Validate_ExpiredJoseToken_Expired()
    {
        var exp = TokenBuilder.Now.AddSeconds(-10);

        JwtAssert.Rejected(Validate("expired"), JwtSvidError.Expired, $"token expired at {exp:O} (now {TokenBuilder.Now:O}, leeway 00:00:00)");
    }

    [Fact]
    public void Validate_JoseTokenWithUnknownKid_AuthorityNotFound() =>
        JwtAssert.Rejected(Validate("unknown-kid"), JwtSvidError.AuthorityNotFound, "no JWT authority with key ID 'rotated-away' in the bundle of 'example.org'");

    [Fact]
    public void Validate_JoseTokenWithoutKid_MissingKeyId() =>
        JwtAssert.Rejected(Validate("no-kid"), JwtSvidError.MissingKeyId, "token header has no 'kid'; Tessera (like go-spiffe) requires it to find the signing key in the bundle");

    [Fact]
    public void Validate_JoseTokenNamingKeyOfOtherCurve_KeyMismatch() =>
        JwtAssert.Rejected(Validate("alg-swap"), JwtSvidError.KeyMismatch, "key 'ES256-key': ES384 needs an EC P-384 key, but the key is EC P-256");

    [Theory]
    [MemberData(nameof(Algorithms))]
    public void JoseVerify_TesseraMintedToken_Valid(string alg)
    {
        var verdict = jose.JoseVerdicts["valid-" + alg]!;

        Assert.True((bool)verdict["ok"]!, verdict.ToJsonString());
        Assert.Equal(alg, (string?)verdict["alg"]);
        Assert.Equal("tessera-" + alg, (string?)verdict["kid"]);
        Assert.Equal("JWT", (string?)verdict["typ"]);
        Assert.Equal("spiffe://example.org/workload", (string?)verdict["sub"]);
    }

    [Fact]
    public void JoseVerify_TesseraMintedMultipleAudiences_Valid() =>
        Assert.True((bool)jose.JoseVerdicts["multi-aud"]!["ok"]!, jose.JoseVerdicts["multi-aud"]!.ToJsonString());

    [Fact]
    public void JoseVerify_TesseraTokenForOtherAudience_Rejected()
    {
        var verdict = jose.JoseVerdicts["wrong-aud"]!;

        Assert.False((bool)verdict["ok"]!);
        Assert.Equal("ERR_JWT_CLAIM_VALIDATION_FAILED", (string?)verdict["code"]);
        Assert.Equal("unexpected \"aud\" claim value", (string?)verdict["message"]);
    }

    [Fact]
    public void JoseVerify_ExpiredTesseraToken_Rejected() =>
        Assert.Equal("ERR_JWT_EXPIRED", (string?)jose.JoseVerdicts["expired"]!["code"]);

    [Fact]
    public void JoseVerify_TesseraTokenFromKeyOutsideBundle_Rejected() =>
        Assert.Equal("ERR_JWKS_NO_MATCHING_KEY", (string?)jose.JoseVerdicts["unknown-kid"]!["code"]);

    [Fact]
    public void Validate_TokensTesseraSentToJose_SameVerdictAsJose()
    {
        foreach (var (name, (token, audience)) in jose.TesseraTokens)
        {
            var tessera = JwtSvidValidator.Validate(token, jose.TesseraBundle, audience, DateTimeOffset.UtcNow, TimeSpan.Zero);

            Assert.True((bool)jose.JoseVerdicts[name]!["ok"]! == tessera.IsValid, $"{name}: jose {jose.JoseVerdicts[name]!.ToJsonString()}, Tessera {tessera}");
        }
    }
}
