using System.Net;
using Tessera.Server.Federation;
using Tessera.Server.Tests.NodeApi;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Federation;

/// <summary>The bundle endpoint on a real server (real Kestrel, real TLS), fetched with the real bundle endpoint client.</summary>
public sealed class BundleEndpointTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly TrustDomain Own = TrustDomain.Parse("example.org");
    private readonly int _port = FreePorts.Next();
    private readonly TempDirectory _dir = new();
    private NodeServer _server = null!;

    public async Task InitializeAsync() => _server = await NodeServer.StartAsync(options: o => o with
    {
        Federation = new FederationOptions { BundleEndpointAddress = $"127.0.0.1:{_port}", BundleEndpointRefreshHint = TimeSpan.FromSeconds(42) },
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    private Uri Url => new($"https://127.0.0.1:{_port}/");

    private FederationRelationship Spiffe(string endpointId) => new(Own, Url, BundleEndpointProfile.HttpsSpiffe, SpiffeId.Parse(endpointId));

    private static BundleEndpointClient Client(string? webCaFile = null) => new(new FederationOptions { WebCaFile = webCaFile }, TimeProvider.System);

    [Fact]
    public async Task Get_HttpsSpiffe_ServesTheCurrentBundleWithSequenceAndRefreshHint()
    {
        var body = await Client().FetchAsync(Spiffe("spiffe://example.org/tessera/server"), _server.Ca.Bundle, CancellationToken.None).WaitAsync(Timeout);

        var bundle = SpiffeBundle.Parse(Own, body);
        Assert.Equal(_server.Ca.Bundle.X509Bundle.Authorities, bundle.X509Bundle.Authorities);
        Assert.Equal(_server.Ca.Bundle.JwtBundle.Authorities.Select(a => a.KeyId), bundle.JwtBundle.Authorities.Select(a => a.KeyId));
        Assert.Equal(_server.Ca.Bundle.Sequence, bundle.Sequence);
        Assert.Equal(TimeSpan.FromSeconds(42), bundle.RefreshHint);
    }

    [Fact]
    public async Task Fetch_WrongEndpointSpiffeId_RefusedWithExactError()
    {
        var error = await Assert.ThrowsAsync<BundleFetchException>(() => Client().FetchAsync(Spiffe("spiffe://example.org/other"), _server.Ca.Bundle, CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal($"bundle endpoint {Url}: TLS server spiffe://example.org/tessera/server refused: peer spiffe://example.org/tessera/server is not authorized (expected spiffe://example.org/other)", error.Message);
    }

    [Fact]
    public async Task Fetch_HeldBundleOfAnotherCa_Refused()
    {
        using var impostor = TestCa.CreateRoot(Own.Name);
        var held = new SpiffeBundle(Own, new X509Bundle(Own, [impostor.Certificate]));

        var error = await Assert.ThrowsAsync<BundleFetchException>(() => Client().FetchAsync(Spiffe("spiffe://example.org/tessera/server"), held, CancellationToken.None).WaitAsync(Timeout));

        Assert.StartsWith($"bundle endpoint {Url}: TLS server spiffe://example.org/tessera/server refused: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fetch_HttpsSpiffeWithoutHeldBundle_AsksForBootstrap()
    {
        var error = await Assert.ThrowsAsync<BundleFetchException>(() => Client().FetchAsync(Spiffe("spiffe://example.org/tessera/server"), null, CancellationToken.None));

        Assert.Equal("no bundle held for 'example.org' to authenticate its endpoint; bootstrap it once with 'tessera bundle set --trust-domain example.org'", error.Message);
    }

    [Fact]
    public async Task Get_OtherPathOrMethod_NotFound()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = Timeout };

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri(Url, "/healthz/ready"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync(Url, new StringContent("{}"))).StatusCode);
        var ok = await http.GetAsync(Url);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("application/json", ok.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HttpsWeb_OperatorCertificate_VerifiedWithExtraRootsAndHostName()
    {
        using var webCa = TestCa.CreateRoot("web.test");
        using var leaf = webCa.IssueSvid("/web", new TestCa.Profile { DnsNames = ["localhost"], ServerAndClientAuth = true });
        var cert = Path.Combine(_dir.Path, "web.pem");
        var key = Path.Combine(_dir.Path, "web.key");
        var roots = Path.Combine(_dir.Path, "roots.pem");
        await File.WriteAllTextAsync(cert, leaf.ChainPem);
        await File.WriteAllTextAsync(key, leaf.KeyPem);
        await File.WriteAllTextAsync(roots, webCa.Certificate.ExportCertificatePem());
        var port = FreePorts.Next();
        await using var web = await NodeServer.StartAsync(options: o => o with
        {
            Federation = new FederationOptions { BundleEndpointAddress = $"127.0.0.1:{port}", BundleEndpointProfile = BundleEndpointProfile.HttpsWeb, BundleEndpointCertFile = cert, BundleEndpointKeyFile = key },
        });
        var byName = new FederationRelationship(Own, new Uri($"https://localhost:{port}/"), BundleEndpointProfile.HttpsWeb, null);
        var byWrongName = byName with { BundleEndpointUrl = new Uri($"https://127.0.0.1:{port}/") };

        var body = await Client(roots).FetchAsync(byName, null, CancellationToken.None).WaitAsync(Timeout);

        Assert.Equal(web.Ca.Bundle.X509Bundle.Authorities, SpiffeBundle.Parse(Own, body).X509Bundle.Authorities);
        await Assert.ThrowsAsync<BundleFetchException>(() => Client().FetchAsync(byName, null, CancellationToken.None).WaitAsync(Timeout));
        await Assert.ThrowsAsync<BundleFetchException>(() => Client(roots).FetchAsync(byWrongName, null, CancellationToken.None).WaitAsync(Timeout));
    }

}
