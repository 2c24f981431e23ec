using System.Net;
using Tessera.Spiffe.AspNetCore.Http;
using Tessera.Spiffe.AspNetCore.Kestrel;
using Tessera.Spiffe.AspNetCore.Tests.Hosting;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.AspNetCore.Tests;

/// <summary>
/// The deny list at every SDK enforcement point, over real loopback TLS: Kestrel's UseSpiffeMtls and
/// SpiffeHttpHandler refuse revoked peers at the handshake and close open connections whose peer becomes revoked;
/// the SpiffeJwt scheme refuses revoked tokens.
/// </summary>
public sealed class SpiffeDenyListTests : IDisposable
{
    private static readonly TimeSpan Timeout = KestrelHost.Timeout;
    private static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://example.org/server");
    private static readonly SpiffeId ClientId = SpiffeId.Parse("spiffe://example.org/client");
    private static readonly DateTimeOffset Later = DateTimeOffset.UtcNow.AddHours(1);

    private readonly TestCa _root = TestCa.CreateRoot();
    private readonly X509Bundle _bundle;
    private readonly LogSink _clientLogs = new();
    private readonly StaticDenyListSource _denyList = new();
    private readonly TokenMint _mint = new();

    public SpiffeDenyListTests()
    {
        _bundle = new X509Bundle(TrustDomain.Parse("example.org"), [_root.Certificate]);
    }

    [Fact]
    public async Task Kestrel_ClientSerialRevoked_RefusedAtHandshakeWithOneLogLine()
    {
        var client = Svid("/client");
        _denyList.Update(DenyList.Empty.WithSerial(client.Certificate.SerialNumber, Later));
        await using var host = await StartMtlsAsync();
        using var http = Client(client, withDenyList: false);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(new Uri(host.BaseAddress, "/whoami")).WaitAsync(Timeout));

        var lines = await host.Logs.WaitForAsync(6101);
        Assert.All(lines, l => Assert.Equal($"Refused TLS client spiffe://example.org/client (NotAuthorized): certificate serial {client.Certificate.SerialNumber} is revoked", l));
    }

    [Fact]
    public async Task Kestrel_OpenConnectionOfClientRevokedLater_AbortedWithOneLogLine()
    {
        var client = Svid("/client");
        await using var host = await StartMtlsAsync();
        using var http = Http2(Client(client, withDenyList: false));
        Assert.Equal(ClientId.ToString(), await http.GetStringAsync(new Uri(host.BaseAddress, "/whoami")).WaitAsync(Timeout));
        var inFlight = http.GetStringAsync(new Uri(host.BaseAddress, "/wait"));

        _denyList.Update(DenyList.Empty.WithSerial(client.Certificate.SerialNumber, Later));

        // The request in flight dies with its connection: the revoked credential stops working at once.
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => inFlight.WaitAsync(Timeout));
        Assert.Equal(
            [$"Closed TLS connection of client spiffe://example.org/client: certificate serial {client.Certificate.SerialNumber} is revoked"],
            await host.Logs.WaitForAsync(6106));

        // And a new connection is refused at the handshake.
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(new Uri(host.BaseAddress, "/whoami")).WaitAsync(Timeout));
        Assert.NotEmpty(await host.Logs.WaitForAsync(6101));
    }

    [Fact]
    public async Task Kestrel_OtherSerialRevoked_OpenConnectionKeepsWorking()
    {
        await using var host = await StartMtlsAsync();
        using var http = Http2(Client(Svid("/client"), withDenyList: false));
        Assert.Equal(ClientId.ToString(), await http.GetStringAsync(new Uri(host.BaseAddress, "/whoami")).WaitAsync(Timeout));

        _denyList.Update(DenyList.Empty.WithSerial("0A1B2C", Later));

        Assert.Equal(ClientId.ToString(), await http.GetStringAsync(new Uri(host.BaseAddress, "/whoami")).WaitAsync(Timeout));
        Assert.Empty(host.Logs.Messages(6106));
    }

    [Fact]
    public async Task Kestrel_OpenConnectionThroughIntermediateRevokedLater_LeafWithoutAuthorityKeyId_Aborted()
    {
        // A leaf minted with a stolen intermediate key need not say which key signed it: the open connection is
        // re-checked against the chain its handshake verified, not the leaf's own claims.
        using var intermediate = _root.CreateIntermediate();
        var client = Svid(intermediate, "/client");
        Assert.Null(KeyIdentifiers.Authority(client.Certificate));
        var intermediateKey = KeyIdentifiers.Subject(intermediate.Certificate)!;
        await using var host = await StartMtlsAsync();
        using var http = Http2(Client(client, withDenyList: false));
        Assert.Equal(ClientId.ToString(), await http.GetStringAsync(new Uri(host.BaseAddress, "/whoami")).WaitAsync(Timeout));
        var inFlight = http.GetStringAsync(new Uri(host.BaseAddress, "/wait"));

        _denyList.Update(DenyList.Empty.WithAuthority(intermediateKey, Later));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => inFlight.WaitAsync(Timeout));
        Assert.Equal(
            [$"Closed TLS connection of client spiffe://example.org/client: the CA key {intermediateKey} ({intermediate.Certificate.Subject}) in the chain of certificate serial {client.Certificate.SerialNumber} is revoked"],
            await host.Logs.WaitForAsync(6106));
    }

    [Fact]
    public async Task Handler_OpenConnectionToServerThroughIntermediateRevokedLater_LeafWithoutAuthorityKeyId_Closed()
    {
        using var intermediate = _root.CreateIntermediate();
        var server = Svid(intermediate, "/server");
        var intermediateKey = KeyIdentifiers.Subject(intermediate.Certificate)!;
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(server), _bundle, PeerAuthorizer.Id(ClientId)));
        using var http = Http2(Client(Svid("/client"), withDenyList: true));
        Assert.Equal(ClientId.ToString(), await http.GetStringAsync(new Uri(host.BaseAddress, "/whoami")).WaitAsync(Timeout));
        var inFlight = http.GetStringAsync(new Uri(host.BaseAddress, "/wait"));

        _denyList.Update(DenyList.Empty.WithAuthority(intermediateKey, Later));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => inFlight.WaitAsync(Timeout));
        Assert.Equal(
            [$"Closed TLS connection of server spiffe://example.org/server: the CA key {intermediateKey} ({intermediate.Certificate.Subject}) in the chain of certificate serial {server.Certificate.SerialNumber} is revoked"],
            _clientLogs.Messages(6106));
    }

    [Fact]
    public async Task Handler_ServerSerialRevoked_RefusedAtHandshake()
    {
        var server = Svid("/server");
        _denyList.Update(DenyList.Empty.WithSerial(server.Certificate.SerialNumber, Later));
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(server), _bundle, PeerAuthorizer.Id(ClientId)));
        using var http = Client(Svid("/client"), withDenyList: true);

        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetStringAsync(new Uri(host.BaseAddress, "/whoami")).WaitAsync(Timeout));

        Assert.Equal(
            [$"Refused TLS server spiffe://example.org/server (NotAuthorized): certificate serial {server.Certificate.SerialNumber} is revoked"],
            _clientLogs.Messages(6101));
    }

    [Fact]
    public async Task Handler_OpenConnectionToServerRevokedLater_ClosedWithOneLogLine()
    {
        var server = Svid("/server");
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(server), _bundle, PeerAuthorizer.Id(ClientId)));
        using var http = Http2(Client(Svid("/client"), withDenyList: true));
        Assert.Equal(ClientId.ToString(), await http.GetStringAsync(new Uri(host.BaseAddress, "/whoami")).WaitAsync(Timeout));
        var inFlight = http.GetStringAsync(new Uri(host.BaseAddress, "/wait"));

        _denyList.Update(DenyList.Empty.WithSerial(server.Certificate.SerialNumber, Later));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => inFlight.WaitAsync(Timeout));
        Assert.Equal(
            [$"Closed TLS connection of server spiffe://example.org/server: certificate serial {server.Certificate.SerialNumber} is revoked"],
            _clientLogs.Messages(6106));
    }

    [Fact]
    public async Task Bearer_RevokedJti_401RevokedWithOneLogLine()
    {
        var token = _mint.Signer.Mint(ClientId, ["api"], TimeSpan.FromMinutes(5), jwtId: "jti-revoked");
        _denyList.Update(DenyList.Empty.WithJwtId("jti-revoked", Later));
        await using var host = await StartJwtAsync();

        var (status, body, challenge) = await SpiffeJwtAuthenticationTests.GetAsync(HttpClient(), new Uri(host.BaseAddress, "/jwt"), token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(string.Empty, body);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"the token is revoked\"", challenge);
        Assert.Equal(["Refused JWT-SVID bearer token (Revoked): jti 'jti-revoked' is revoked"], host.Logs.Messages(6105));
    }

    [Fact]
    public async Task Bearer_SubjectTokensBeforeCutoffRevoked_OlderRefusedNewerAccepted()
    {
        var now = DateTimeOffset.UtcNow;
        var cutoff = new DateTimeOffset(now.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
        var older = _mint.Signer.Mint(ClientId, ["api"], cutoff.AddSeconds(-10), cutoff.AddMinutes(5), jwtId: "a");
        var newer = _mint.Signer.Mint(ClientId, ["api"], cutoff, cutoff.AddMinutes(5), jwtId: "b");
        _denyList.Update(DenyList.Empty.WithJwtIssuedBefore(ClientId, cutoff, Later));
        await using var host = await StartJwtAsync();

        var refused = await SpiffeJwtAuthenticationTests.GetAsync(HttpClient(), new Uri(host.BaseAddress, "/jwt"), older);
        var accepted = await SpiffeJwtAuthenticationTests.GetAsync(HttpClient(), new Uri(host.BaseAddress, "/jwt"), newer);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"the token is revoked\"", refused.Challenge);
        Assert.Equal(HttpStatusCode.OK, accepted.Status);
        Assert.Equal(
            [$"Refused JWT-SVID bearer token (Revoked): every JWT-SVID of spiffe://example.org/client issued before {cutoff:O} is revoked"],
            host.Logs.Messages(6105));
    }

    [Fact]
    public async Task Bearer_ListUpdatedAfterStart_NextRequestRefused()
    {
        var token = _mint.Signer.Mint(ClientId, ["api"], TimeSpan.FromMinutes(5), jwtId: "jti-later");
        await using var host = await StartJwtAsync();
        Assert.Equal(HttpStatusCode.OK, (await SpiffeJwtAuthenticationTests.GetAsync(HttpClient(), new Uri(host.BaseAddress, "/jwt"), token)).Status);

        _denyList.Update(DenyList.Empty.WithJwtId("jti-later", Later));

        Assert.Equal(HttpStatusCode.Unauthorized, (await SpiffeJwtAuthenticationTests.GetAsync(HttpClient(), new Uri(host.BaseAddress, "/jwt"), token)).Status);
    }

    public void Dispose()
    {
        _root.Dispose();
        _mint.Dispose();
    }

    private static HttpClient HttpClient() => new() { Timeout = Timeout };

    private static HttpClient Http2(HttpClient client)
    {
        client.DefaultRequestVersion = HttpVersion.Version20;
        client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        return client;
    }

    private Task<KestrelHost> StartMtlsAsync() =>
        KestrelHost.StartAsync(l => l.UseSpiffeMtls(new MutableSvidSource(Svid("/server")), _bundle, PeerAuthorizer.Id(ClientId), new SpiffeTlsOptions { DenyList = _denyList }));

    private Task<KestrelHost> StartJwtAsync() =>
        KestrelHost.StartAsync(_ => { }, o =>
        {
            o.Audience = "api";
            o.Bundles = _mint.Bundle;
            o.DenyList = _denyList;
        });

    private HttpClient Client(X509Svid svid, bool withDenyList) => new(SpiffeHttpHandler.Create(
        new MutableSvidSource(svid),
        _bundle,
        PeerAuthorizer.Id(ServerId),
        new SpiffeHttpHandlerOptions { Logger = _clientLogs.CreateLogger("client"), Tls = new SpiffeTlsOptions { DenyList = withDenyList ? _denyList : null } }))
    {
        Timeout = Timeout,
    };

    private X509Svid Svid(string path) => Svid(_root, path);

    private static X509Svid Svid(TestCa ca, string path)
    {
        using var issued = ca.IssueSvid(path, new TestCa.Profile { OmitAuthorityKeyIdentifier = ca.Root != ca });
        return X509Svid.ParseRaw(issued.ChainDer, issued.KeyPkcs8);
    }
}
