using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Bundles.Internal;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.Tests.Jwt;

public sealed class JwtSvidSignerTests
{
    private static readonly SpiffeId Subject = SpiffeId.Parse("spiffe://example.org/workload");

    public static TheoryData<JwtSvidAlgorithm> AllAlgorithms => [.. Enum.GetValues<JwtSvidAlgorithm>()];

    [Theory]
    [MemberData(nameof(AllAlgorithms))]
    public void Mint_EachAlgorithm_ValidatesWithSignersAuthority(JwtSvidAlgorithm algorithm)
    {
        var signer = new JwtSvidSigner(KeyFor(algorithm), "kid-" + algorithm, algorithm);
        var bundle = new JwtBundle(TestKeys.Domain, [signer.Authority]);

        var token = signer.Mint(Subject, ["reports"], TokenBuilder.Now, TokenBuilder.Now.AddMinutes(5));

        var svid = JwtAssert.Valid(JwtSvidValidator.Validate(token, bundle, "reports", TokenBuilder.Now, TimeSpan.Zero));
        Assert.Equal(algorithm, svid.Algorithm);
        Assert.Equal("kid-" + algorithm, svid.KeyId);
    }

    [Fact]
    public void Mint_SingleAudience_WritesHeaderAndStringAudience()
    {
        var signer = new JwtSvidSigner(TestKeys.P256, "k1");

        var parts = signer.Mint(Subject, ["reports"], TokenBuilder.Now, TokenBuilder.Now.AddMinutes(5), jwtId: "j-1").Split('.');

        Assert.Equal("{\"alg\":\"ES256\",\"kid\":\"k1\",\"typ\":\"JWT\"}", Decode(parts[0]));
        Assert.Equal($"{{\"sub\":\"spiffe://example.org/workload\",\"aud\":\"reports\",\"exp\":{TokenBuilder.Now.AddMinutes(5).ToUnixTimeSeconds()},\"iat\":{TokenBuilder.Now.ToUnixTimeSeconds()},\"jti\":\"j-1\"}}", Decode(parts[1]));
    }

    [Fact]
    public void Mint_SeveralAudiencesAndExtraClaims_AllReadBack()
    {
        var signer = new JwtSvidSigner(TestKeys.P256, "k1");
        using var extra = JsonDocument.Parse("{\"team\":\"blue\",\"level\":3}");
        var claims = extra.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

        var token = signer.Mint(Subject, ["reports", "billing"], TokenBuilder.Now, TokenBuilder.Now.AddMinutes(5), extraClaims: claims);

        var svid = JwtAssert.Valid(JwtAssert.Validate(token));
        Assert.Equal(["reports", "billing"], svid.Audience);
        Assert.Equal("blue", svid.Claims.GetProperty("team").GetString());
        Assert.Equal(3, svid.Claims.GetProperty("level").GetInt32());
        Assert.Null(svid.JwtId);
    }

    [Theory]
    [InlineData("P-256", JwtSvidAlgorithm.ES256)]
    [InlineData("P-384", JwtSvidAlgorithm.ES384)]
    [InlineData("P-521", JwtSvidAlgorithm.ES512)]
    [InlineData("RSA", JwtSvidAlgorithm.RS256)]
    public void Constructor_NoAlgorithm_PicksAlgorithmOfKey(string key, JwtSvidAlgorithm expected)
    {
        AsymmetricAlgorithm k = key switch { "P-256" => TestKeys.P256, "P-384" => TestKeys.P384, "P-521" => TestKeys.P521, _ => TestKeys.Rsa2048 };

        Assert.Equal(expected, new JwtSvidSigner(k, "k").Algorithm);
    }

    [Theory]
    [InlineData(JwtSvidAlgorithm.ES256, "P-384", "the key does not fit the algorithm: ES256 needs an EC P-256 key, but the key is EC P-384 (Parameter 'privateKey')")]
    [InlineData(JwtSvidAlgorithm.ES512, "RSA", "the key does not fit the algorithm: ES512 needs an EC P-521 key, but the key is RSA 2048 (Parameter 'privateKey')")]
    [InlineData(JwtSvidAlgorithm.PS256, "P-256", "the key does not fit the algorithm: PS256 needs an RSA key, but the key is EC P-256 (Parameter 'privateKey')")]
    [InlineData(JwtSvidAlgorithm.RS256, "RSA1024", "the key does not fit the algorithm: RS256 needs an RSA key of at least 2048 bits (RFC 7518 §3.3), but the key has 1024 (Parameter 'privateKey')")]
    public void Constructor_KeyDoesNotFitAlgorithm_Throws(JwtSvidAlgorithm algorithm, string key, string message)
    {
        AsymmetricAlgorithm k = key switch { "P-256" => TestKeys.P256, "P-384" => TestKeys.P384, "RSA1024" => TestKeys.Rsa1024, _ => TestKeys.Rsa2048 };

        Assert.Equal(message, Assert.Throws<ArgumentException>(() => new JwtSvidSigner(k, "k", algorithm)).Message);
    }

    [Fact]
    public void Constructor_PublicKeyOnly_Throws()
    {
        using var publicOnly = ECDsa.Create(TestKeys.P256.ExportParameters(false));

        Assert.Equal("the key cannot sign; pass a key with its private part (Parameter 'privateKey')", Assert.Throws<ArgumentException>(() => new JwtSvidSigner(publicOnly, "k")).Message);
    }

    [Fact]
    public void Constructor_UnsupportedCurve_Throws()
    {
        using var k = ECDsa.Create(ECCurve.NamedCurves.brainpoolP256r1);

        Assert.Equal("only ECDSA keys on P-256, P-384 and P-521 can sign JWT-SVIDs (RFC 7518 §3.4) (Parameter 'key')", Assert.Throws<ArgumentException>(() => new JwtSvidSigner(k, "k")).Message);
    }

    [Fact]
    public void Mint_Lifetime_UsesSignersClock()
    {
        var signer = new JwtSvidSigner(TestKeys.P256, "k1", timeProvider: new FixedTimeProvider(TokenBuilder.Now));

        var svid = JwtAssert.Valid(JwtAssert.Validate(signer.Mint(Subject, ["reports"], TimeSpan.FromMinutes(2))));

        Assert.Equal(TokenBuilder.Now, svid.IssuedAt);
        Assert.Equal(TokenBuilder.Now.AddMinutes(2), svid.Expiry);
        Assert.Throws<ArgumentException>(() => signer.Mint(Subject, ["reports"], TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public void Mint_NoAudience_Throws() =>
        Assert.Throws<ArgumentException>(() => new JwtSvidSigner(TestKeys.P256, "k").Mint(Subject, [], TokenBuilder.Now, TokenBuilder.Now.AddMinutes(1)));

    [Fact]
    public void Mint_EmptyAudienceValue_Throws() =>
        Assert.Throws<ArgumentException>(() => new JwtSvidSigner(TestKeys.P256, "k").Mint(Subject, ["a", ""], TokenBuilder.Now, TokenBuilder.Now.AddMinutes(1)));

    [Fact]
    public void Mint_ExpiryNotAfterIssue_Throws() =>
        Assert.Throws<ArgumentException>(() => new JwtSvidSigner(TestKeys.P256, "k").Mint(Subject, ["a"], TokenBuilder.Now, TokenBuilder.Now.AddMilliseconds(900)));

    [Fact]
    public void Mint_ZeroSubject_Throws() =>
        Assert.Throws<ArgumentException>(() => new JwtSvidSigner(TestKeys.P256, "k").Mint(default, ["a"], TokenBuilder.Now, TokenBuilder.Now.AddMinutes(1)));

    [Theory]
    [InlineData("sub")]
    [InlineData("aud")]
    [InlineData("exp")]
    [InlineData("jti")]
    public void Mint_ExtraClaimRedefinesRegisteredClaim_Throws(string claim)
    {
        using var doc = JsonDocument.Parse("\"x\"");
        var extra = new Dictionary<string, JsonElement> { [claim] = doc.RootElement.Clone() };

        var ex = Assert.Throws<ArgumentException>(() => new JwtSvidSigner(TestKeys.P256, "k").Mint(Subject, ["a"], TokenBuilder.Now, TokenBuilder.Now.AddMinutes(1), extraClaims: extra));
        Assert.Equal($"extra claim '{claim}' is set by the signer; pass it through the matching parameter (Parameter 'extraClaims')", ex.Message);
    }

    [Fact]
    public void Mint_Concurrently_AllTokensValid()
    {
        var signer = new JwtSvidSigner(TestKeys.P256, "k1");

        var tokens = Enumerable.Range(0, 64).AsParallel().Select(i => signer.Mint(Subject, ["reports"], TokenBuilder.Now, TokenBuilder.Now.AddMinutes(5), jwtId: i.ToString())).ToList();

        Assert.All(tokens, t => JwtAssert.Valid(JwtAssert.Validate(t)));
    }

    private static AsymmetricAlgorithm KeyFor(JwtSvidAlgorithm algorithm) => algorithm switch
    {
        JwtSvidAlgorithm.ES256 => TestKeys.P256,
        JwtSvidAlgorithm.ES384 => TestKeys.P384,
        JwtSvidAlgorithm.ES512 => TestKeys.P521,
        _ => TestKeys.Rsa2048,
    };

    private static string Decode(string part) => Base64UrlStrict.TryDecode(part, out var bytes) ? Encoding.UTF8.GetString(bytes) : throw new FormatException(part);

    private sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
