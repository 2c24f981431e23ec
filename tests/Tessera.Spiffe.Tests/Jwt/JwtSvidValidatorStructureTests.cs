using System.Text.Json.Nodes;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.Tests.Jwt;

/// <summary>JWS compact serialization, encoding and header rules (JWT-SVID §2, §5.1).</summary>
public sealed class JwtSvidValidatorStructureTests
{
    private const string AllowedAlgs = "RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512";

    [Fact]
    public void Validate_ValidEs256Token_ReturnsSvidWithAllClaims()
    {
        var token = new TokenBuilder().With("jti", "id-1").With("nbf", TokenBuilder.Now.AddMinutes(-1).ToUnixTimeSeconds()).With("x-team", "blue").Sign(TestKeys.P256);

        var svid = JwtAssert.Valid(JwtAssert.Validate(token));

        Assert.Equal("spiffe://example.org/workload", svid.Id.ToString());
        Assert.Equal(["reports"], svid.Audience);
        Assert.Equal(TokenBuilder.Now.AddMinutes(5), svid.Expiry);
        Assert.Equal(TokenBuilder.Now, svid.IssuedAt);
        Assert.Equal(TokenBuilder.Now.AddMinutes(-1), svid.NotBefore);
        Assert.Equal("k1", svid.KeyId);
        Assert.Equal(JwtSvidAlgorithm.ES256, svid.Algorithm);
        Assert.Equal("id-1", svid.JwtId);
        Assert.Equal("blue", svid.Claims.GetProperty("x-team").GetString());
        Assert.Equal(token, svid.Token);
    }

    [Fact]
    public void ToString_ValidSvid_DoesNotContainToken()
    {
        var token = new TokenBuilder().Sign(TestKeys.P256);

        var svid = JwtAssert.Valid(JwtAssert.Validate(token));

        Assert.DoesNotContain(token.Split('.')[2], svid.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(token.Split('.')[1], svid.ToString(), StringComparison.Ordinal);
        Assert.StartsWith("JWT-SVID spiffe://example.org/workload (aud reports; expires 2026-11-23T12:05:00", svid.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ES256", "k1")]
    [InlineData("ES384", "k384")]
    [InlineData("ES512", "k521")]
    [InlineData("RS256", "rsa")]
    [InlineData("RS384", "rsa")]
    [InlineData("RS512", "rsa")]
    [InlineData("PS256", "rsa")]
    [InlineData("PS384", "rsa")]
    [InlineData("PS512", "rsa")]
    public void Validate_EachAllowedAlgorithm_Accepted(string alg, string kid)
    {
        var key = kid switch { "k1" => TestKeys.P256, "k384" => TestKeys.P384, "k521" => TestKeys.P521, _ => (System.Security.Cryptography.AsymmetricAlgorithm)TestKeys.Rsa2048 };
        var token = new TokenBuilder().WithHeader("alg", alg).WithHeader("kid", kid).Sign(key);

        Assert.Equal(alg, JwtAssert.Valid(JwtAssert.Validate(token)).Algorithm.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_EmptyToken_Malformed(string? token) =>
        JwtAssert.Rejected(JwtAssert.Validate(token!), JwtSvidError.Malformed, "token is empty");

    [Fact]
    public void Validate_OversizedToken_TooLargeBeforeParsing() =>
        JwtAssert.Rejected(JwtAssert.Validate(new string('.', JwtSvidValidator.MaxTokenLength + 1)), JwtSvidError.TooLarge, "token is 65537 characters; the limit is 65536");

    [Theory]
    [InlineData("abc", 1)]
    [InlineData("abc.def", 2)]
    [InlineData("a.b.c.d", 4)]
    [InlineData("a.b.c.d.e", 5)]
    [InlineData("{\"payload\":\"x\",\"signatures\":[]}", 1)]
    public void Validate_NotThreeParts_Malformed(string token, int parts) =>
        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.Malformed, $"token must be JWS compact serialization, three base64url parts separated by '.' (JWT-SVID §5.1); it has {parts} part(s)");

    [Theory]
    [InlineData("=")]
    [InlineData(" ")]
    [InlineData("+")]
    [InlineData("/")]
    public void Validate_HeaderWithNonBase64UrlCharacter_Malformed(string bad)
    {
        var parts = new TokenBuilder().Sign(TestKeys.P256).Split('.');
        var token = parts[0] + bad + "." + parts[1] + "." + parts[2];

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.Malformed, "token header is not unpadded base64url (RFC 7515 §2)");
    }

    [Fact]
    public void Validate_PaddedPayload_Malformed()
    {
        var builder = new TokenBuilder().With("pad", "x");
        while (builder.SigningInput().Split('.')[1].Length % 4 == 0)
        {
            builder.With("pad", (string)builder.Claims["pad"]! + "x");
        }

        var parts = builder.Sign(TestKeys.P256).Split('.');
        var padding = new string('=', (4 - (parts[1].Length % 4)) % 4);
        Assert.NotEmpty(padding);

        JwtAssert.Rejected(JwtAssert.Validate(parts[0] + "." + parts[1] + padding + "." + parts[2]), JwtSvidError.Malformed, "token payload is not unpadded base64url (RFC 7515 §2)");
    }

    [Fact]
    public void Validate_NonCanonicalTrailingBits_Malformed()
    {
        // "e30" is "{}"; "e31" decodes to the same bytes with a non-zero unused bit.
        var token = TokenBuilder.Encode("{\"alg\":\"ES256\",\"kid\":\"k1\"}") + ".e31.AAAA";

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.Malformed, "token payload is not unpadded base64url (RFC 7515 §2)");
    }

    [Fact]
    public void Validate_SignatureNotBase64Url_Malformed()
    {
        var token = new TokenBuilder().SigningInput() + ".a+b";

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.Malformed, "token signature is not unpadded base64url (RFC 7515 §2)");
    }

    [Fact]
    public void Validate_HeaderNotJson_Malformed()
    {
        var result = JwtAssert.Validate(TokenBuilder.Encode("not json") + ".e30.AAAA");

        Assert.Equal(JwtSvidError.Malformed, result.Error);
        Assert.StartsWith("token header is not valid JSON (", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]", "Array")]
    [InlineData("\"ES256\"", "String")]
    public void Validate_HeaderNotObject_Malformed(string header, string kind) =>
        JwtAssert.Rejected(JwtAssert.Validate(TokenBuilder.Encode(header) + ".e30.AAAA"), JwtSvidError.Malformed, $"token header must be a JSON object, not {kind}");

    [Fact]
    public void Validate_DuplicateHeaderName_Malformed()
    {
        var token = TokenBuilder.Encode("{\"alg\":\"ES256\",\"kid\":\"k1\",\"alg\":\"none\"}") + ".e30.AAAA";

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.Malformed, "token header repeats the member name 'alg' in one object");
    }

    [Fact]
    public void Validate_DuplicateClaimNameEscaped_Malformed()
    {
        // "\u0073ub" is "sub": a second subject that a lenient parser would pick instead of the first.
        var builder = new TokenBuilder();
        var claims = "{\"sub\":\"spiffe://example.org/a\",\"\\u0073ub\":\"spiffe://example.org/admin\",\"aud\":\"reports\",\"exp\":9999999999}";
        var token = TokenBuilder.Encode(builder.Header.ToJsonString()) + "." + TokenBuilder.Encode(claims) + ".AAAA";

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.Malformed, "token payload repeats the member name 'sub' in one object");
    }

    [Theory]
    [InlineData("none")]
    [InlineData("HS256")]
    [InlineData("HS512")]
    [InlineData("es256")]
    [InlineData("EdDSA")]
    [InlineData("ES256K")]
    [InlineData("RSA-OAEP")]
    public void Validate_DisallowedAlgorithm_UnsupportedAlgorithmNamingIt(string alg)
    {
        var token = new TokenBuilder().WithHeader("alg", alg).WithSignature([]);

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.UnsupportedAlgorithm, $"algorithm '{alg}' is not allowed for JWT-SVIDs; expected one of {AllowedAlgs} (JWT-SVID §2.1)");
    }

    [Fact]
    public void Validate_AlgorithmWithControlCharacters_MessageSanitized()
    {
        var token = new TokenBuilder().WithHeader("alg", "x\u0007\ny").WithSignature([]);

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.UnsupportedAlgorithm, $"algorithm 'x??y' is not allowed for JWT-SVIDs; expected one of {AllowedAlgs} (JWT-SVID §2.1)");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Validate_MissingOrNonStringAlgorithm_UnsupportedAlgorithm(bool present)
    {
        var builder = new TokenBuilder();
        if (present)
        {
            builder.WithHeader("alg", 256);
        }
        else
        {
            builder.WithoutHeader("alg");
        }

        JwtAssert.Rejected(JwtAssert.Validate(builder.WithSignature([1])), JwtSvidError.UnsupportedAlgorithm, $"token header has no string 'alg'; expected one of {AllowedAlgs} (JWT-SVID §2.1)");
    }

    [Theory]
    [InlineData("JWT")]
    [InlineData("JOSE")]
    public void Validate_AllowedType_Accepted(string typ) =>
        JwtAssert.Valid(JwtAssert.Validate(new TokenBuilder().WithHeader("typ", typ).Sign(TestKeys.P256)));

    [Fact]
    public void Validate_NoType_Accepted() =>
        JwtAssert.Valid(JwtAssert.Validate(new TokenBuilder().WithoutHeader("typ").Sign(TestKeys.P256)));

    [Theory]
    [InlineData("jwt", "jwt")]
    [InlineData("at+jwt", "at+jwt")]
    [InlineData(1, "Number")]
    public void Validate_OtherType_InvalidHeader(object typ, string shown)
    {
        var token = new TokenBuilder().WithHeader("typ", JsonValue.Create(typ)).Sign(TestKeys.P256);

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.InvalidHeader, $"token header 'typ' is '{shown}'; JWT-SVID §2.3 allows only JWT or JOSE");
    }

    [Fact]
    public void Validate_CriticalHeader_InvalidHeader()
    {
        var token = new TokenBuilder().WithHeader("crit", new JsonArray("b64")).WithHeader("b64", false).Sign(TestKeys.P256);

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.InvalidHeader, "token header has 'crit'; JWT-SVID §2 allows only alg, kid and typ, and no critical extension is supported");
    }

    [Fact]
    public void Validate_EmbeddedJwkHeader_IgnoredAndBundleKeyUsed()
    {
        // An attacker-supplied key in the header must never be used; the token is signed by a key not in the bundle.
        using var attacker = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var token = new TokenBuilder().WithHeader("jwk", JsonNode.Parse(new Spiffe.Bundles.JwtAuthority("k1", attacker).ToJwk())).Sign(attacker);

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.InvalidSignature, "signature does not verify with key 'k1'");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Validate_MissingKeyId_MissingKeyId(string? kid)
    {
        var builder = new TokenBuilder();
        if (kid is null)
        {
            builder.WithoutHeader("kid");
        }
        else
        {
            builder.WithHeader("kid", kid);
        }

        JwtAssert.Rejected(JwtAssert.Validate(builder.Sign(TestKeys.P256)), JwtSvidError.MissingKeyId, "token header has no 'kid'; Tessera (like go-spiffe) requires it to find the signing key in the bundle");
    }

    [Fact]
    public void Validate_NonStringKeyId_InvalidHeader() =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().WithHeader("kid", 7).Sign(TestKeys.P256)), JwtSvidError.InvalidHeader, "token header 'kid' must be a string, not Number");

    [Fact]
    public void Validate_PayloadNotObject_Malformed()
    {
        var token = TokenBuilder.Encode(new TokenBuilder().Header.ToJsonString()) + "." + TokenBuilder.Encode("[1]") + ".AAAA";

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.Malformed, "token payload must be a JSON object, not Array");
    }

    [Fact]
    public void Validate_NegativeLeeway_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => JwtSvidValidator.Validate("a.b.c", JwtAssert.Bundle, "reports", TokenBuilder.Now, TimeSpan.FromSeconds(-1)));

    [Fact]
    public void Validate_EmptyAudience_Throws() =>
        Assert.Throws<ArgumentException>(() => JwtSvidValidator.Validate("a.b.c", JwtAssert.Bundle, string.Empty, TokenBuilder.Now, TimeSpan.Zero));
}
