using Tessera.Contracts.Workload;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Tests.WorkloadApi;

/// <summary>A workload receives only the federated bundles its entries federate with, on every Workload API path.</summary>
public sealed class FederatesWithTests : IAsyncLifetime
{
    private static readonly TrustDomain Elsewhere = TrustDomain.Parse("elsewhere.test");
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkloadApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FetchX509SVID_EntryFederatesWithNothing_NoFederatedBundles()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web") with { FederatesWith = [] });
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());

        var response = await call.ResponseStream.NextAsync();

        Assert.Single(response.Svids);
        Assert.Empty(response.FederatedBundles);
    }

    [Fact]
    public async Task FetchX509SVID_EntryFederatesWithUnknownTrustDomain_OnlyBundlesTheAgentHolds()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web") with { FederatesWith = [Elsewhere] });
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());

        Assert.Empty((await call.ResponseStream.NextAsync()).FederatedBundles);
    }

    [Fact]
    public async Task FetchX509SVID_TwoEntriesOneFederating_UnionOfTheirTrustDomains()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web") with { FederatesWith = [] }, WorkloadApiHost.Entry("e2", "/api"));
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());

        var response = await call.ResponseStream.NextAsync();

        Assert.Equal(2, response.Svids.Count);
        Assert.Equal(["spiffe://partner.test"], response.FederatedBundles.Keys);
    }

    [Fact]
    public async Task FetchX509SVID_FederatesWithRemovedFromEntry_PushesResponseWithoutTheBundle()
    {
        var entry = WorkloadApiHost.Entry("e1", "/web");
        _host.Publish(entry);
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());
        Assert.Single((await call.ResponseStream.NextAsync()).FederatedBundles);

        _host.Cache.Update(s => s with { Entries = s.Entries.SetItem("e1", entry with { FederatesWith = [], Revision = 2 }) });

        Assert.Empty((await call.ResponseStream.NextAsync()).FederatedBundles);
    }

    [Fact]
    public async Task FetchX509Bundles_EntryFederatesWithNothing_OwnBundleOnly()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web") with { FederatesWith = [] });
        using var call = _host.Client().FetchX509Bundles(new X509BundlesRequest(), WorkloadApiHost.Options());

        Assert.Equal(["spiffe://example.org"], (await call.ResponseStream.NextAsync()).Bundles.Keys);
    }

    [Fact]
    public async Task FetchX509Bundles_CallerWithoutEntry_OwnBundleOnly()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/other", "unix:uid:999999"));
        using var call = _host.Client().FetchX509Bundles(new X509BundlesRequest(), WorkloadApiHost.Options());

        Assert.Equal(["spiffe://example.org"], (await call.ResponseStream.NextAsync()).Bundles.Keys);
    }

    [Fact]
    public async Task FetchJWTBundles_EntryFederatesWithNothing_OwnBundleOnly()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web") with { FederatesWith = [] });
        using var call = _host.Client().FetchJWTBundles(new JWTBundlesRequest(), WorkloadApiHost.Options());

        Assert.Equal(["spiffe://example.org"], (await call.ResponseStream.NextAsync()).Bundles.Keys);
    }
}
