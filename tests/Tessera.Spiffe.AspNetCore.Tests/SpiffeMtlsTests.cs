using System.Net;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Tessera.Spiffe.AspNetCore.Http;
using Tessera.Spiffe.AspNetCore.Kestrel;
using Tessera.Spiffe.AspNetCore.Tests.Grpc;
using Tessera.Spiffe.AspNetCore.Tests.Hosting;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.AspNetCore.Tests;

/// <summary>Kestrel with UseSpiffeMtls and HttpClient/gRPC with SpiffeHttpHandler, over real loopback TLS.</summary>
public sealed class SpiffeMtlsTests : IDisposable
{
    private static readonly TimeSpan Timeout = KestrelHost.Timeout;
    private static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://example.org/server");
    private static readonly SpiffeId ClientId = SpiffeId.Parse("spiffe://example.org/client");

    private readonly TestCa _root = TestCa.CreateRoot();
    private readonly TestCa _ca;
    private readonly X509Bundle _bundle;
    private readonly LogSink _clientLogs = new();

    public SpiffeMtlsTests()
    {
        // Both sides' SVIDs are issued by an intermediate while the bundle holds only the root, so every
        // successful handshake proves the intermediates are sent.
        _ca = _root.CreateIntermediate();
        _bundle = new X509Bundle(TrustDomain.Parse("example.org"), [_root.Certificate]);
    }

    [Fact]
    public async Task Mtls_BothSvidsFromAnIntermediate_CallerAuthenticatedAsItsSpiffeId()
    {
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/server")), _bundle, PeerAuthorizer.Id(ClientId)));
        using var client = Client(new MutableSvidSource(Svid(_ca, "/client")), PeerAuthorizer.Id(ServerId));

        Assert.Equal(ClientId.ToString(), await GetStringAsync(client, host, "/whoami"));
        Assert.Equal("member example.org", await GetStringAsync(client, host, "/members"));
        Assert.Empty(host.Logs.Messages(6101));
        Assert.Empty(_clientLogs.Messages(6101));
    }

    [Fact]
    public async Task Mtls_ManyConnectionsFromOneClient_EachAuthenticated()
    {
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/server")), _bundle, PeerAuthorizer.Id(ClientId)));
        using var client = Client(new MutableSvidSource(Svid(_ca, "/client")), PeerAuthorizer.Id(ServerId));

        // Each request closes its connection, so each needs a new handshake. With TLS session resumption on, the
        // second one resumed and the server saw the client's leaf without its intermediates: refused (UnknownAuthority).
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, "/whoami")) { Headers = { ConnectionClose = true } };
            using var response = await client.SendAsync(request).WaitAsync(Timeout);
            Assert.Equal(ClientId.ToString(), await response.Content.ReadAsStringAsync().WaitAsync(Timeout));
        }

        Assert.Empty(host.Logs.Messages(6101));
    }

    [Fact]
    public async Task Grpc_UnaryCallOverHttp2_ServerSeesTheCallersSpiffeId()
    {
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/server")), _bundle, PeerAuthorizer.Id(ClientId)));
        using var channel = GrpcChannel.ForAddress(host.BaseAddress, new GrpcChannelOptions
        {
            HttpHandler = SpiffeHttpHandler.Create(new MutableSvidSource(Svid(_ca, "/client")), _bundle, PeerAuthorizer.Id(ServerId)),
        });

        var reply = await new Greeter.GreeterClient(channel).SayHelloAsync(new HelloRequest { Name = "grpc" }, deadline: DateTime.UtcNow.Add(Timeout));

        Assert.Equal("hello grpc, you are spiffe://example.org/client", reply.Message);
    }

    [Fact]
    public async Task Mtls_ClientNotAuthorized_RefusedWithOneLogLine()
    {
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/server")), _bundle, PeerAuthorizer.OneOf([ClientId, SpiffeId.Parse("spiffe://example.org/admin")])));
        using var client = Client(new MutableSvidSource(Svid(_ca, "/intruder")), PeerAuthorizer.Id(ServerId));

        await Assert.ThrowsAsync<HttpRequestException>(() => GetStringAsync(client, host, "/whoami"));

        AssertEveryRefusal(
            "Refused TLS client spiffe://example.org/intruder (NotAuthorized): peer spiffe://example.org/intruder is not authorized (expected one of spiffe://example.org/admin, spiffe://example.org/client)",
            await host.Logs.WaitForAsync(6101));
    }

    [Fact]
    public async Task Mtls_ClientFromAnotherTrustDomain_RefusedWithOneLogLine()
    {
        using var otherRoot = TestCa.CreateRoot("other.org");
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/server")), _bundle, PeerAuthorizer.Any()));
        using var client = Client(new MutableSvidSource(Svid(otherRoot, "/client")), PeerAuthorizer.Id(ServerId));

        await Assert.ThrowsAsync<HttpRequestException>(() => GetStringAsync(client, host, "/whoami"));

        AssertEveryRefusal(
            "Refused TLS client spiffe://other.org/client (BundleNotFound): no X.509 bundle found for trust domain 'other.org'",
            await host.Logs.WaitForAsync(6101));
    }

    [Fact]
    public async Task Mtls_ClientSvidExpired_RefusedWithOneLogLine()
    {
        var now = new DateTimeOffset(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var notAfter = now.AddMinutes(-5);
        using var issued = _ca.IssueSvid("/client", new TestCa.Profile { NotBefore = now.AddHours(-1), NotAfter = notAfter });
        var expired = X509Svid.ParseRaw(issued.ChainDer, issued.KeyPkcs8);
        var clock = new SpiffeTlsOptions { TimeProvider = new FixedTimeProvider(now) };
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/server")), _bundle, PeerAuthorizer.Any(), clock));
        using var client = Client(new MutableSvidSource(expired), PeerAuthorizer.Id(ServerId));

        await Assert.ThrowsAsync<HttpRequestException>(() => GetStringAsync(client, host, "/whoami"));

        AssertEveryRefusal(
            $"Refused TLS client spiffe://example.org/client (Expired): certificate 1 of the path expired at {notAfter:O}; verification time is {now:O}",
            await host.Logs.WaitForAsync(6101));
    }

    [Fact]
    public async Task Mtls_NoClientCertificate_RefusedWithOneLogLine()
    {
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/server")), _bundle, PeerAuthorizer.Any()));
        using var client = new HttpClient(SpiffeHttpHandler.CreateTls(_bundle, PeerAuthorizer.Id(ServerId))) { Timeout = Timeout };

        await Assert.ThrowsAsync<HttpRequestException>(() => GetStringAsync(client, host, "/whoami"));

        AssertEveryRefusal(
            "Refused TLS client (no SPIFFE ID) (EmptyChain): the client presented no certificate",
            await host.Logs.WaitForAsync(6101));
    }

    [Fact]
    public async Task Handler_ServerNotTheExpectedId_ClientRefusesWithOneLogLine()
    {
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/impostor")), _bundle, PeerAuthorizer.Any()));
        using var client = Client(new MutableSvidSource(Svid(_ca, "/client")), PeerAuthorizer.Id(ServerId));

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => GetStringAsync(client, host, "/whoami"));

        Assert.Equal(
            ["Refused TLS server spiffe://example.org/impostor (NotAuthorized): peer spiffe://example.org/impostor is not authorized (expected spiffe://example.org/server)"],
            _clientLogs.Messages(6101));
        Assert.NotNull(error.InnerException);
    }

    [Fact]
    public async Task Policy_AuthenticatedCallerNotTheRequiredOne_Returns403WithTheReason()
    {
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/server")), _bundle, PeerAuthorizer.Any()));
        using var client = Client(new MutableSvidSource(Svid(_ca, "/client")), PeerAuthorizer.Id(ServerId));

        using var response = await client.GetAsync(new Uri(host.BaseAddress, "/admin")).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(
            ["Refused caller spiffe://example.org/client by endpoint policy: peer spiffe://example.org/client is not authorized (expected spiffe://example.org/admin)"],
            host.Logs.Messages(6102));
    }

    [Fact]
    public async Task Policy_RequiredCaller_Returns200()
    {
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/server")), _bundle, PeerAuthorizer.Any()));
        using var client = Client(new MutableSvidSource(Svid(_ca, "/admin")), PeerAuthorizer.Id(ServerId));

        Assert.Equal("admin", await GetStringAsync(client, host, "/admin"));
        Assert.Empty(host.Logs.Messages(6102));
    }

    [Fact]
    public async Task OneWayTls_ServerSvidVerified_CallerIsAnonymous()
    {
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeTls(new MutableSvidSource(Svid(_ca, "/server"))));
        using var client = new HttpClient(SpiffeHttpHandler.CreateTls(_bundle, PeerAuthorizer.Id(ServerId))) { Timeout = Timeout };

        Assert.Equal("anonymous", await GetStringAsync(client, host, "/whoami"));
    }

    [Fact]
    public async Task Authentication_ClientCertificateAcceptedByAnotherListener_CallerStaysAnonymous()
    {
        // A listener that accepts any client certificate: the SpiffeMtls scheme must not turn it into an identity.
        var server = Svid(_root, "/server");
        await using var host = await KestrelHost.StartAsync(l => l.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = server.GetCertificateWithKey(),
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (_, _, _) => true,
        }));
        using var client = Client(new MutableSvidSource(Svid(_ca, "/client")), PeerAuthorizer.Id(ServerId));

        Assert.Equal("anonymous", await GetStringAsync(client, host, "/whoami"));
    }

    [Fact]
    public async Task ServerRotation_OpenHttp2ConnectionKeepsWorking_NewConnectionSeesTheNewSerial()
    {
        var first = Svid(_ca, "/server");
        var second = Svid(_ca, "/server");
        var source = new MutableSvidSource(first);
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(source, _bundle, PeerAuthorizer.Id(ClientId)));
        var seen = new List<string>();
        var tls = new SpiffeTlsOptions { AdditionalPeerCheck = (_, leaf) => { lock (seen) { seen.Add(leaf.SerialNumber); } return null; } };
        var clientSvid = new MutableSvidSource(Svid(_ca, "/client"));
        using var open = Http2Client(SpiffeHttpHandler.Create(clientSvid, _bundle, PeerAuthorizer.Id(ServerId), new SpiffeHttpHandlerOptions { Tls = tls }));

        Assert.Equal(ClientId.ToString(), await GetStringAsync(open, host, "/whoami"));
        var inFlight = open.GetStringAsync(new Uri(host.BaseAddress, "/wait"));
        source.Current = second;

        // The open connection still works, for the request in flight and for new ones; it made no new handshake.
        Assert.Equal(ClientId.ToString(), await GetStringAsync(open, host, "/whoami"));
        host.Gate.SetResult();
        Assert.Equal("waited", await inFlight.WaitAsync(Timeout));
        Assert.Equal([first.Certificate.SerialNumber], seen);

        using var fresh = Http2Client(SpiffeHttpHandler.Create(clientSvid, _bundle, PeerAuthorizer.Id(ServerId), new SpiffeHttpHandlerOptions { Tls = tls }));
        using var response = await fresh.GetAsync(new Uri(host.BaseAddress, "/whoami")).WaitAsync(Timeout);

        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal([first.Certificate.SerialNumber, second.Certificate.SerialNumber], seen);
    }

    [Fact]
    public async Task ClientRotation_NextConnectionPresentsTheNewSvid()
    {
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid(_ca, "/server")), _bundle, PeerAuthorizer.Id(ClientId)));
        var first = Svid(_ca, "/client");
        var second = Svid(_ca, "/client");
        var source = new MutableSvidSource(first);
        using var client = Client(source, PeerAuthorizer.Id(ServerId));

        // "Connection: close" ends the first connection, so the second request needs a new handshake.
        using var closing = new HttpRequestMessage(HttpMethod.Get, new Uri(host.BaseAddress, "/serial")) { Headers = { ConnectionClose = true } };
        using var before = await client.SendAsync(closing).WaitAsync(Timeout);
        source.Current = second;
        var after = await GetStringAsync(client, host, "/serial");

        Assert.Equal(first.Certificate.SerialNumber, await before.Content.ReadAsStringAsync().WaitAsync(Timeout));
        Assert.Equal(second.Certificate.SerialNumber, after);
    }

    public void Dispose()
    {
        _ca.Dispose();
        _root.Dispose();
    }

    /// <summary>
    /// Asserts that each refused connection got exactly <paramref name="expected"/>. Under TLS 1.3 the client learns
    /// of the refusal only when its first read fails, and SocketsHttpHandler retries a request whose fresh connection
    /// closed before any response (up to 3 times), so one request may show as up to 4 refused connections.
    /// </summary>
    private static void AssertEveryRefusal(string expected, IReadOnlyList<string> lines)
    {
        Assert.InRange(lines.Count, 1, 4);
        Assert.All(lines, line => Assert.Equal(expected, line));
    }

    private static X509Svid Svid(TestCa ca, string path)
    {
        using var issued = ca.IssueSvid(path);
        return X509Svid.ParseRaw(issued.ChainDer, issued.KeyPkcs8);
    }

    private static async Task<string> GetStringAsync(HttpClient client, KestrelHost host, string path) =>
        await client.GetStringAsync(new Uri(host.BaseAddress, path)).WaitAsync(Timeout);

    private static HttpClient Http2Client(HttpMessageHandler handler) => new(handler)
    {
        Timeout = Timeout,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };

    private HttpClient Client(IX509SvidSource svids, PeerAuthorizer serverAuthorizer) =>
        new(SpiffeHttpHandler.Create(svids, _bundle, serverAuthorizer, new SpiffeHttpHandlerOptions { Logger = _clientLogs.CreateLogger("client") })) { Timeout = Timeout };
}
