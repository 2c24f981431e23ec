using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tests.Tls;

public sealed class SpiffeTlsDenyListTests : IDisposable
{
    private static readonly DateTimeOffset Later = DateTimeOffset.UtcNow.AddHours(1);

    private readonly TestCa _root = TestCa.CreateRoot();
    private readonly X509Bundle _bundle;
    private readonly List<PeerRejection> _rejections = [];
    private readonly StaticDenyListSource _denyList = new();

    public SpiffeTlsDenyListTests()
    {
        _bundle = new X509Bundle(TrustDomain.Parse("example.org"), [_root.Certificate]);
    }

    [Fact]
    public async Task MtlsServer_ClientSerialRevoked_RefusesNamingTheSerial()
    {
        using var server = Svid("/server");
        using var client = Svid("/client");
        var serial = client.Certificate.SerialNumber;
        _denyList.Update(DenyList.Empty.WithSerial(serial, Later));

        var (serverError, clientError, _, _) = await TlsPair.HandshakeAsync(
            () => SpiffeTls.MtlsServerOptions(new StaticSvidSource(server), _bundle, PeerAuthorizer.Any(), Options()),
            SpiffeTls.MtlsClientOptions(new StaticSvidSource(client), _bundle, PeerAuthorizer.Any(), Options()));

        Assert.NotNull(serverError);
        Assert.NotNull(clientError);
        var rejection = Assert.Single(_rejections);
        Assert.Equal("client", rejection.PeerRole);
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/client"), rejection.PeerId);
        Assert.Equal(X509SvidError.None, rejection.Error);
        Assert.Equal($"certificate serial {serial} is revoked", rejection.Reason);
    }

    [Fact]
    public async Task TlsClient_ServerSerialRevoked_RefusesNamingTheSerial()
    {
        using var server = Svid("/server");
        var serial = server.Certificate.SerialNumber;
        _denyList.Update(DenyList.Empty.WithSerial(serial.ToLowerInvariant(), Later));

        var (_, clientError, _, _) = await TlsPair.HandshakeAsync(
            () => SpiffeTls.TlsServerOptions(new StaticSvidSource(server)),
            SpiffeTls.TlsClientOptions(_bundle, PeerAuthorizer.Any(), Options()));

        Assert.NotNull(clientError);
        var rejection = Assert.Single(_rejections);
        Assert.Equal("server", rejection.PeerRole);
        Assert.Equal($"certificate serial {serial} is revoked", rejection.Reason);
        Assert.Equal($"TLS server spiffe://example.org/server refused: certificate serial {serial} is revoked", rejection.ToString());
    }

    [Fact]
    public async Task Mtls_OtherSerialRevoked_HandshakeSucceeds()
    {
        using var server = Svid("/server");
        using var client = Svid("/client");
        _denyList.Update(DenyList.Empty.WithSerial("0A1B2C", Later));

        var (serverError, clientError, serverStream, clientStream) = await TlsPair.HandshakeAsync(
            () => SpiffeTls.MtlsServerOptions(new StaticSvidSource(server), _bundle, PeerAuthorizer.Any(), Options()),
            SpiffeTls.MtlsClientOptions(new StaticSvidSource(client), _bundle, PeerAuthorizer.Any(), Options()));

        Assert.Null(serverError);
        Assert.Null(clientError);
        Assert.Empty(_rejections);
        await serverStream!.DisposeAsync();
        await clientStream!.DisposeAsync();
    }

    public void Dispose() => _root.Dispose();

    private X509Svid Svid(string path)
    {
        using var issued = _root.IssueSvid(path);
        return X509Svid.ParseRaw(issued.ChainDer, issued.KeyPkcs8);
    }

    private SpiffeTlsOptions Options() => new()
    {
        DenyList = _denyList,
        OnPeerRejected = r =>
        {
            lock (_rejections)
            {
                _rejections.Add(r);
            }
        },
    };
}
