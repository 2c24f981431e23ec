using Tessera.Server.Configuration;
using Tessera.Server.Federation;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Federation;

/// <summary>The federation settings as the server's options loader reads them.</summary>
public sealed class FederationOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ServerOptions Load(Dictionary<string, string> flags) =>
        ServerOptionsLoader.Load(null, flags, new Dictionary<string, string?>(), _dir.Path);

    [Fact]
    public void Load_NoSettings_FederationOffAndHintFromCaTtl()
    {
        var options = Load([]);

        Assert.Null(options.Federation.BundleEndpointAddress);
        Assert.Empty(options.Federation.FederatesWith);
        Assert.Equal(TimeSpan.FromMinutes(5), options.Federation.BundleEndpointRefreshHint);
        Assert.Equal(TimeSpan.FromSeconds(10), Load(new() { ["ca_ttl"] = "2m", ["x509_svid_ttl"] = "20s", ["jwt_svid_ttl"] = "20s" }).Federation.BundleEndpointRefreshHint);
    }

    [Fact]
    public void Load_YamlList_RelationshipsParsed()
    {
        var file = Path.Combine(_dir.Path, "server.yaml");
        File.WriteAllText(file, """
            trust_domain: alpha.test
            federation_bundle_endpoint_address: 0.0.0.0:8443
            federation_bundle_endpoint_refresh_hint: 1m
            federates_with:
              - beta.test https://beta.example:8443/ https_spiffe spiffe://beta.test/tessera/server
              - gamma.test https://bundles.gamma.example/gamma https_web
            """);

        var options = ServerOptionsLoader.Load(file, new Dictionary<string, string>(), new Dictionary<string, string?>(), _dir.Path);

        Assert.Equal("0.0.0.0:8443", options.Federation.BundleEndpointAddress);
        Assert.Equal(BundleEndpointProfile.HttpsSpiffe, options.Federation.BundleEndpointProfile);
        Assert.Equal(TimeSpan.FromMinutes(1), options.Federation.BundleEndpointRefreshHint);
        Assert.Equal(
            [
                new FederationRelationship(TrustDomain.Parse("beta.test"), new Uri("https://beta.example:8443/"), BundleEndpointProfile.HttpsSpiffe, SpiffeId.Parse("spiffe://beta.test/tessera/server")),
                new FederationRelationship(TrustDomain.Parse("gamma.test"), new Uri("https://bundles.gamma.example/gamma"), BundleEndpointProfile.HttpsWeb, null),
            ],
            options.Federation.FederatesWith);
    }

    [Fact]
    public void Load_BadFederationSettings_EveryProblemListed()
    {
        var ex = Assert.Throws<ServerConfigurationException>(() => Load(new()
        {
            ["federation_bundle_endpoint_address"] = "bundles.example:8443",
            ["federation_bundle_endpoint_profile"] = "https_web",
            ["federation_bundle_endpoint_refresh_hint"] = "0s",
            ["federates_with"] = "example.org https://self/ https_web, beta.test http://beta/ https_web, gamma.test https://g/ https_spiffe, delta.test https://d/ https_spiffe spiffe://other.test/server, eps.test https://e/ ftp",
        }));

        Assert.Equal(
            [
                "federation_bundle_endpoint_address: 'bundles.example:8443' is not ip:port or localhost:port (e.g. 0.0.0.0:8443)",
                "federation_bundle_endpoint_cert_file and federation_bundle_endpoint_key_file: required with profile https_web",
                "federation_bundle_endpoint_refresh_hint: '0s' is not a duration; write a positive whole number and a unit, e.g. 90s, 5m, 1h or 7d",
                "federates_with: 'example.org' is this server's own trust domain",
                "federates_with: bundle endpoint URL 'http://beta/' is not an absolute https:// URL",
                "federates_with: 'gamma.test': profile https_spiffe needs the endpoint SPIFFE ID after it",
                "federates_with: endpoint SPIFFE ID 'spiffe://other.test/server' is not in trust domain 'delta.test'",
                "federates_with: 'eps.test': profile 'ftp' is not https_spiffe or https_web (https_web takes nothing after it)",
            ],
            ex.Problems);
    }
}
