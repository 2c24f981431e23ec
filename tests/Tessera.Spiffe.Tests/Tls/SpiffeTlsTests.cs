using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tests.X509;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tests.Tls;

public sealed class SpiffeTlsTests : IDisposable
{
    private static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://example.org/server");
    private static readonly SpiffeId ClientId = SpiffeId.Parse("spiffe://example.org/client");

    private readonly TestCa _root = TestCa.CreateRoot();
    private readonly TestCa _ca;
    private readonly X509Bundle _bundle;
    private readonly List<PeerRejection> _rejections = [];

    public SpiffeTlsTests()
    {
        _ca = _root.CreateIntermediate();
        _bundle = new X509Bundle(TrustDomain.Parse("example.org"), [_root.Certificate]);
    }

    [Fact]
    public async Task Mtls_BothAuthorized_HandshakeSucceedsAndEachSeesThePeerId()
    {
        using var server = Svid(_ca, "/server");
        using var client = Svid(_ca, "/client");

        var (serverError, clientError, serverStream, clientStream) = await TlsPair.HandshakeAsync(
            () => SpiffeTls.MtlsServerOptions(new StaticSvidSource(server), _bundle, PeerAuthorizer.Id(ClientId), Options()),
            SpiffeTls.MtlsClientOptions(new StaticSvidSource(client), _bundle, PeerAuthorizer.Id(ServerId), Options()));

        Assert.Null(serverError);
        Assert.Null(clientError);
        Assert.Empty(_rejections);
        Assert.True(SpiffeTls.TryGetPeerId(serverStream!.RemoteCertificate, out var seenByServer));
        Assert.Equal(ClientId, seenByServer);
        Assert.True(SpiffeTls.TryGetPeerId(clientStream!.RemoteCertificate, out var seenByClient));
        Assert.Equal(ServerId, seenByClient);
        await serverStream.DisposeAsync();
        await clientStream.DisposeAsync();
    }

    [Fact]
    public async Task Mtls_ClientNotAuthorized_ServerRefusesNamingThePeer()
    {
        using var server = Svid(_ca, "/server");
        using var client = Svid(_ca, "/intruder");

        var (serverError, clientError, _, _) = await TlsPair.HandshakeAsync(
            () => SpiffeTls.MtlsServerOptions(new StaticSvidSource(server), _bundle, PeerAuthorizer.Id(ClientId), Options()),
            SpiffeTls.MtlsClientOptions(new StaticSvidSource(client), _bundle, PeerAuthorizer.Any(), Options()));

        Assert.NotNull(serverError);
        Assert.NotNull(clientError);
        var rejection = Assert.Single(_rejections);
        Assert.Equal("client", rejection.PeerRole);
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/intruder"), rejection.PeerId);
        Assert.Equal(X509SvidError.None, rejection.Error);
        Assert.Equal("peer spiffe://example.org/intruder is not authorized (expected spiffe://example.org/client)", rejection.Reason);
    }

    [Fact]
    public async Task Mtls_ServerFromUnknownTrustDomain_ClientRefusesWithBundleNotFound()
    {
        using var otherRoot = TestCa.CreateRoot("other.org");
        using var server = Svid(otherRoot, "/server");
        using var client = Svid(_ca, "/client");

        var (_, clientError, _, _) = await TlsPair.HandshakeAsync(
            () => SpiffeTls.MtlsServerOptions(new StaticSvidSource(server), _bundle, PeerAuthorizer.Any(), Options()),
            SpiffeTls.MtlsClientOptions(new StaticSvidSource(client), _bundle, PeerAuthorizer.Any(), Options()));

        Assert.NotNull(clientError);
        var rejection = Assert.Single(_rejections, r => r.PeerRole == "server");
        Assert.Equal(SpiffeId.Parse("spiffe://other.org/server"), rejection.PeerId);
        Assert.Equal(X509SvidError.BundleNotFound, rejection.Error);
        Assert.Equal("no X.509 bundle found for trust domain 'other.org'", rejection.Reason);
    }

    [Fact]
    public async Task Mtls_ClientSvidExpired_ServerRefusesWithExpired()
    {
        using var server = Svid(_ca, "/server");
        using var client = Svid(_ca, "/client");
        var later = new SpiffeTlsOptions { TimeProvider = new FixedTimeProvider(DateTimeOffset.UtcNow.AddHours(2)), OnPeerRejected = _rejections.Add };

        var (serverError, _, _, _) = await TlsPair.HandshakeAsync(
            () => SpiffeTls.MtlsServerOptions(new StaticSvidSource(server), _bundle, PeerAuthorizer.Any(), later),
            SpiffeTls.MtlsClientOptions(new StaticSvidSource(client), _bundle, PeerAuthorizer.Any(), Options()));

        Assert.NotNull(serverError);
        var rejection = Assert.Single(_rejections);
        Assert.Equal(ClientId, rejection.PeerId);
        Assert.Equal(X509SvidError.Expired, rejection.Error);
        Assert.StartsWith("certificate 1 of the path expired at ", rejection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mtls_ClientPresentsNoCertificate_ServerRefuses()
    {
        using var server = Svid(_ca, "/server");

        var (serverError, clientError, _, _) = await TlsPair.HandshakeAsync(
            () => SpiffeTls.MtlsServerOptions(new StaticSvidSource(server), _bundle, PeerAuthorizer.Any(), Options()),
            SpiffeTls.TlsClientOptions(_bundle, PeerAuthorizer.Id(ServerId), Options()));

        Assert.NotNull(serverError);
        Assert.NotNull(clientError);
        var rejection = Assert.Single(_rejections);
        Assert.Null(rejection.PeerId);
        Assert.Equal(X509SvidError.EmptyChain, rejection.Error);
        Assert.Equal("the client presented no certificate", rejection.Reason);
    }

    [Fact]
    public async Task Mtls_AdditionalCheckRefuses_ServerRefusesWithItsReason()
    {
        using var server = Svid(_ca, "/server");
        using var client = Svid(_ca, "/client");
        var serial = client.Certificate.SerialNumber;
        var denyList = Options() with { AdditionalPeerCheck = (_, leaf) => leaf.SerialNumber == serial ? $"serial {serial} is revoked" : null };

        var (serverError, _, _, _) = await TlsPair.HandshakeAsync(
            () => SpiffeTls.MtlsServerOptions(new StaticSvidSource(server), _bundle, PeerAuthorizer.Any(), denyList),
            SpiffeTls.MtlsClientOptions(new StaticSvidSource(client), _bundle, PeerAuthorizer.Any(), Options()));

        Assert.NotNull(serverError);
        var rejection = Assert.Single(_rejections);
        Assert.Equal(ClientId, rejection.PeerId);
        Assert.Equal($"serial {serial} is revoked", rejection.Reason);
    }

    [Fact]
    public async Task MtlsServer_SvidRotated_NextHandshakePresentsTheNewSvid()
    {
        using var first = Svid(_ca, "/server");
        using var second = Svid(_ca, "/server");
        using var client = Svid(_ca, "/client");
        var source = new StaticSvidSource(first);
        SslServerAuthenticationOptions Server() => SpiffeTls.MtlsServerOptions(source, _bundle, PeerAuthorizer.Any(), Options());

        var before = await TlsPair.HandshakeAsync(Server, SpiffeTls.MtlsClientOptions(new StaticSvidSource(client), _bundle, PeerAuthorizer.Id(ServerId), Options()));
        source.Current = second;
        var after = await TlsPair.HandshakeAsync(Server, SpiffeTls.MtlsClientOptions(new StaticSvidSource(client), _bundle, PeerAuthorizer.Id(ServerId), Options()));

        Assert.Equal(first.Certificate.SerialNumber, ((X509Certificate2)before.ClientStream!.RemoteCertificate!).SerialNumber);
        Assert.Equal(second.Certificate.SerialNumber, ((X509Certificate2)after.ClientStream!.RemoteCertificate!).SerialNumber);
        await before.ClientStream.DisposeAsync();
        await after.ClientStream.DisposeAsync();
    }

    [Fact]
    public async Task Tls_OneWay_ClientVerifiesServerAndServerSeesNoClientCertificate()
    {
        using var server = Svid(_ca, "/server");

        var (serverError, clientError, serverStream, _) = await TlsPair.HandshakeAsync(
            () => SpiffeTls.TlsServerOptions(new StaticSvidSource(server)),
            SpiffeTls.TlsClientOptions(_bundle, PeerAuthorizer.Id(ServerId), Options()));

        Assert.Null(serverError);
        Assert.Null(clientError);
        Assert.Null(serverStream!.RemoteCertificate);
        await serverStream.DisposeAsync();
    }

    public void Dispose()
    {
        _ca.Dispose();
        _root.Dispose();
    }

    private static X509Svid Svid(TestCa ca, string path)
    {
        using var issued = ca.IssueSvid(path);
        return X509Svid.ParseRaw(issued.ChainDer, issued.KeyPkcs8);
    }

    private SpiffeTlsOptions Options() => new() { OnPeerRejected = r => { lock (_rejections) { _rejections.Add(r); } } };
}
