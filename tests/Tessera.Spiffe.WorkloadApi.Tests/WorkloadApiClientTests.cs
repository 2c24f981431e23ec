using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Tessera.Agent.Tests.WorkloadApi;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.WorkloadApi.Tests;

public sealed class WorkloadApiClientTests : IAsyncLifetime, IDisposable
{
    private WorkloadApiHost _host = null!;
    private WorkloadApiClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await WorkloadApiHost.StartAsync();
        _client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = "unix://" + _host.SocketPath, CallTimeout = WorkloadApiHost.Timeout });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _client.Dispose();

    [Fact]
    public async Task FetchX509ContextAsync_Identity_ChainUsableKeyHintAndFederatedBundle()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        var context = await _client.FetchX509ContextAsync().WaitAsync(WorkloadApiHost.Timeout);

        var svid = Assert.Single(context.Svids);
        Assert.Same(svid, context.DefaultSvid);
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/web"), svid.Id);
        Assert.Equal("hint-e1", svid.Hint);
        Assert.Equal(_host.Cache.Current.Svids["e1"].ChainDer, svid.Chain.SelectMany(c => c.RawData).ToArray());
        var data = "proof of possession"u8.ToArray();
        var signature = Assert.IsAssignableFrom<ECDsa>(svid.PrivateKey).SignData(data, HashAlgorithmName.SHA256);
        using (var leafKey = svid.Certificate.GetECDsaPublicKey()!)
        {
            Assert.True(leafKey.VerifyData(data, signature, HashAlgorithmName.SHA256));
        }

        Assert.Equal([WorkloadApiHost.Domain, WorkloadApiHost.Federated], context.Bundles.TrustDomains);
        Assert.True(context.Bundles.TryGetX509Bundle(WorkloadApiHost.Domain, out var own));
        Assert.Equal(_host.Ca.Certificate.RawData, Assert.Single(own.Authorities).RawData);
        Assert.True(context.Bundles.TryGetX509Bundle(WorkloadApiHost.Federated, out var federated));
        Assert.Equal(_host.FederatedCa.Certificate.RawData, Assert.Single(federated.Authorities).RawData);
    }

    [Fact]
    public async Task FetchX509ContextAsync_NoIdentity_WorkloadApiExceptionPermissionDenied()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/other", "unix:uid:999999"));

        var ex = await Assert.ThrowsAsync<WorkloadApiException>(() => _client.FetchX509ContextAsync().WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.True(ex.IsPermissionDenied);
        Assert.Equal("no identity issued", ex.Message);
    }

    [Fact]
    public async Task FetchX509ContextAsync_NoSocket_WorkloadApiExceptionUnavailableNamingTheSocket()
    {
        var missing = Path.Combine(Path.GetDirectoryName(_host.SocketPath)!, "missing.sock");
        await using var client = new WorkloadApiClient(missing);

        var ex = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchX509ContextAsync().WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.StartsWith($"cannot reach the Workload API at {missing}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchX509ContextAsync_AgentNotSynced_DeadlineExceededNamingTheSocket()
    {
        await using var client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = _host.SocketPath, CallTimeout = TimeSpan.FromMilliseconds(300) });

        var ex = await Assert.ThrowsAsync<WorkloadApiException>(() => client.FetchX509ContextAsync().WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal(StatusCode.DeadlineExceeded, ex.StatusCode);
        Assert.Equal($"no answer from the Workload API at {_host.SocketPath} within 0.3s", ex.Message);
    }

    [Fact]
    public async Task WatchX509ContextAsync_Rotation_YieldsTheNewSvid()
    {
        var entry = WorkloadApiHost.Entry("e1", "/web");
        _host.Publish(entry);
        using var cts = new CancellationTokenSource(WorkloadApiHost.Timeout);
        await using var updates = _client.WatchX509ContextAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        Assert.True(await updates.MoveNextAsync());
        var first = updates.Current.DefaultSvid.Certificate.SerialNumber;
        _host.Publish(entry);
        Assert.True(await updates.MoveNextAsync());

        Assert.NotEqual(first, updates.Current.DefaultSvid.Certificate.SerialNumber);
        Assert.Equal(_host.Cache.Current.Svids["e1"].Serial, updates.Current.DefaultSvid.Certificate.SerialNumber);
    }

    [Fact]
    public async Task FetchX509BundlesAsync_EveryTrustDomain()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        var bundles = await _client.FetchX509BundlesAsync().WaitAsync(WorkloadApiHost.Timeout);

        Assert.Equal([WorkloadApiHost.Domain, WorkloadApiHost.Federated], bundles.TrustDomains);
        Assert.True(bundles.TryGetX509Bundle(WorkloadApiHost.Federated, out var federated));
        Assert.Equal(_host.FederatedCa.Certificate.RawData, Assert.Single(federated.Authorities).RawData);
    }

    [Fact]
    public async Task FetchJwtBundlesAsync_SigningKeyOfTheTrustDomain()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        var bundles = await _client.FetchJwtBundlesAsync().WaitAsync(WorkloadApiHost.Timeout);

        Assert.True(bundles.TryGetJwtBundle(WorkloadApiHost.Domain, out var own));
        Assert.Equal(_host.Minter.Authority, Assert.Single(own.Authorities));
    }

    [Fact]
    public async Task FetchJwtSvidAsync_Audiences_TokenOfTheDefaultIdentity()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        var svid = await _client.FetchJwtSvidAsync("svc-a", ["svc-b"]).WaitAsync(WorkloadApiHost.Timeout);

        Assert.Equal(SpiffeId.Parse("spiffe://example.org/web"), svid.Id);
        Assert.Equal(["svc-a", "svc-b"], svid.Audience);
    }

    [Fact]
    public async Task FetchJwtSvidAsync_BindingX509Svid_TokenCarriesTheThumbprintOfTheCallersSvid()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var context = await _client.FetchX509ContextAsync().WaitAsync(WorkloadApiHost.Timeout);

        var bound = await _client.FetchJwtSvidAsync("svc-a", binding: JwtSvidBinding.X509Svid).WaitAsync(WorkloadApiHost.Timeout);
        var plain = await _client.FetchJwtSvidAsync("svc-a").WaitAsync(WorkloadApiHost.Timeout);

        var thumbprint = System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(context.DefaultSvid.Certificate.RawData));
        Assert.Equal(thumbprint, bound.Claims.GetProperty("cnf").GetProperty("x5t#S256").GetString());
        Assert.False(plain.Claims.TryGetProperty("cnf", out _));
    }

    [Fact]
    public async Task FetchJwtSvidAsync_OtherIdentity_PermissionDeniedNamingIt()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        var ex = await Assert.ThrowsAsync<WorkloadApiException>(
            () => _client.FetchJwtSvidAsync("svc-a", spiffeId: SpiffeId.Parse("spiffe://example.org/db")).WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("no identity 'spiffe://example.org/db' issued to the caller", ex.Message);
    }

    [Fact]
    public async Task ValidateJwtSvidAsync_ValidToken_ReturnsTheSvid()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var token = (await _client.FetchJwtSvidAsync("svc-a").WaitAsync(WorkloadApiHost.Timeout)).Token;

        var svid = await _client.ValidateJwtSvidAsync(token, "svc-a").WaitAsync(WorkloadApiHost.Timeout);

        Assert.Equal(SpiffeId.Parse("spiffe://example.org/web"), svid.Id);
    }

    [Fact]
    public async Task ValidateJwtSvidAsync_WrongAudience_InvalidArgumentWithTheAgentsReason()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var token = (await _client.FetchJwtSvidAsync("svc-a").WaitAsync(WorkloadApiHost.Timeout)).Token;

        var ex = await Assert.ThrowsAsync<WorkloadApiException>(() => _client.ValidateJwtSvidAsync(token, "svc-z").WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("invalid JWT-SVID (AudienceMismatch): token audience ['svc-a'] does not contain 'svc-z' (JWT-SVID §3.2)", ex.Message);
    }
}
