using Tessera.Agent.Tests.WorkloadApi;

namespace Tessera.Spiffe.WorkloadApi.Tests;

public sealed class BundleSourceTests : IAsyncLifetime
{
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkloadApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreateAsync_MergesX509AndJwtBundlesPerTrustDomain()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        await using var source = await BundleSource.CreateAsync(X509SourceTests.Options(_host.SocketPath)).WaitAsync(WorkloadApiHost.Timeout);

        Assert.Equal([WorkloadApiHost.Domain, WorkloadApiHost.Federated], source.Bundles.TrustDomains);
        Assert.True(source.TryGetX509Bundle(WorkloadApiHost.Domain, out var own));
        Assert.Equal(_host.Ca.Certificate.RawData, Assert.Single(own.Authorities).RawData);
        Assert.True(source.TryGetJwtBundle(WorkloadApiHost.Domain, out var jwt));
        Assert.Equal(_host.Minter.Authority, Assert.Single(jwt.Authorities));
        Assert.True(source.TryGetX509Bundle(WorkloadApiHost.Federated, out var federated));
        Assert.Equal(_host.FederatedCa.Certificate.RawData, Assert.Single(federated.Authorities).RawData);
        Assert.False(source.TryGetJwtBundle(WorkloadApiHost.Federated, out _));
    }

    [Fact]
    public async Task DisposeAsync_StopsBothWatchLoops()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var source = await BundleSource.CreateAsync(X509SourceTests.Options(_host.SocketPath)).WaitAsync(WorkloadApiHost.Timeout);

        await source.DisposeAsync().AsTask().WaitAsync(WorkloadApiHost.Timeout);

        Assert.False(source.IsWatching);
        Assert.Throws<ObjectDisposedException>(() => source.Bundles);
    }
}
