using System.Text;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tests.Jwt;

namespace Tessera.Spiffe.Tests.Bundles;

/// <summary>SPIFFE Bundle Maps (SPIFFE Trust Domain and Bundle §5).</summary>
public sealed class BundleMapTests
{
    private static BundleSet Parse(string json) => BundleSet.ParseBundleMap(Encoding.UTF8.GetBytes(json));

    private static void Rejected(string json, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => Parse(json)).Message);

    [Fact]
    public void ParseBundleMap_TwoTrustDomains_BothBundlesRead()
    {
        var jwt = BundleJson.JwtEntry("k1", TestKeys.P256).ToJsonString();
        var set = Parse($"{{\"trust_domains\":{{\"example.org\":{{\"spiffe_sequence\":12035488,\"keys\":[{jwt}]}},\"other.org\":{{\"keys\":[]}}}}}}");

        Assert.Equal([TestKeys.Domain, TrustDomain.Parse("other.org")], set.TrustDomains);
        Assert.True(set.TryGet(TestKeys.Domain, out var bundle));
        Assert.Equal(12035488UL, bundle.Sequence);
        Assert.True(bundle.JwtBundle.TryGetAuthority("k1", out _));
    }

    [Fact]
    public void ParseBundleMap_EmptyTrustDomains_EmptySet() => Assert.Equal(0, Parse("{\"trust_domains\":{}}").Count);

    [Fact]
    public void ToBundleMapJson_ParsedBack_SameBundlesWithoutRefreshHint()
    {
        var set = new BundleSet(
            new SpiffeBundle(TrustDomain.Parse("b.org"), jwtBundle: new JwtBundle(TrustDomain.Parse("b.org"), [new JwtAuthority("k", TestKeys.P384)]), sequence: 2, refreshHint: TimeSpan.FromMinutes(1)),
            new SpiffeBundle(TestKeys.Domain, new X509Bundle(TestKeys.Domain, [BundleJson.EcCa]), sequence: 1));

        var json = set.ToBundleMapJson();
        var parsed = BundleSet.ParseBundleMap(Encoding.UTF8.GetBytes(json));

        Assert.StartsWith("{\"trust_domains\":{\"b.org\":{\"keys\":[", json, StringComparison.Ordinal);
        Assert.DoesNotContain("refresh_hint", json, StringComparison.Ordinal);
        Assert.Equal(set.TrustDomains, parsed.TrustDomains);
        Assert.True(parsed.TryGet(TrustDomain.Parse("b.org"), out var b));
        Assert.Equal(2UL, b.Sequence);
        Assert.Null(b.RefreshHint);
        Assert.Equal(json, parsed.ToBundleMapJson());
    }

    [Theory]
    [InlineData("{}", "SPIFFE bundle map has no 'trust_domains' member (required by §5.1.1)")]
    [InlineData("[]", "SPIFFE bundle map must be a JSON object, not Array")]
    [InlineData("{\"trust_domains\":[]}", "SPIFFE bundle map: 'trust_domains' must be an object keyed by trust domain name, not Array")]
    [InlineData("{\"trust_domains\":{\"example.org\":{\"keys\":[]},\"example.org\":{\"keys\":[]}}}", "SPIFFE bundle map repeats the member name 'example.org' in one object")]
    [InlineData("{\"trust_domains\":{\"example.org\":{\"keys\":[]},\"example\\u002eorg\":{\"keys\":[]}}}", "SPIFFE bundle map repeats the member name 'example.org' in one object")]
    [InlineData("{\"trust_domains\":{\"spiffe://example.org\":{\"keys\":[]}}}", "SPIFFE bundle map: 'spiffe://example.org' is not a trust domain name: keys are trust domain names, not SPIFFE IDs")]
    [InlineData("{\"trust_domains\":{\"example.org\":{}}}", "SPIFFE bundle map: bundle of 'example.org' has no 'keys' member (required by SPIFFE bundle §4.1.3)")]
    [InlineData("{\"trust_domains\":{\"example.org\":{\"keys\":[{\"kty\":\"EC\",\"use\":\"jwt-svid\"}]}}}", "SPIFFE bundle map: bundle of 'example.org': keys[0]: a jwt-svid key must have a non-empty string 'kid' (JWT-SVID §6.1)")]
    public void ParseBundleMap_Malformed_FormatException(string json, string message) => Rejected(json, message);

    [Fact]
    public void ParseBundleMap_InvalidTrustDomainName_MessageFromParser()
    {
        Assert.False(TrustDomain.TryParse("Example.org", out _, out var error));

        Rejected("{\"trust_domains\":{\"Example.org\":{\"keys\":[]}}}", $"SPIFFE bundle map: 'Example.org' is not a trust domain name: {error}");
    }
}
