using System.Diagnostics;
using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.NodeApi;

/// <summary>Sync: the full snapshot, then changes pushed as they happen, and streams ended by a ban or an eviction.</summary>
public sealed class SyncTests : IAsyncLifetime
{
    // A guard that changes are pushed rather than picked up by some polling loop, generous enough not to flake on a
    // loaded CI machine; the real figure (about 0.2 s from entry create to a waiting workload) is measured by
    // `bench/Tessera.Bench -- agent`.
    private static readonly TimeSpan PushBudget = TimeSpan.FromSeconds(5);
    private NodeServer _server = null!;

    public async Task InitializeAsync() => _server = await NodeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Sync_FirstMessage_FullSnapshotWithDescendantsAndBundles()
    {
        var agent = await _server.AttestAsync();
        var other = await _server.AttestAsync();
        var node = await _server.CreateEntryAsync("/node-group", agent.Id.ToString());
        var web = await _server.CreateEntryAsync("/web", node.SpiffeId);
        var webChild = await _server.CreateEntryAsync("/web/sidecar", web.SpiffeId);
        await _server.CreateEntryAsync("/elsewhere", other.Id.ToString());
        await _server.CreateEntryAsync("/orphan", "spiffe://example.org/nobody");
        await SetFederatedBundleAsync("partner.org");

        using var call = _server.NodeClient(agent).Sync(new SyncRequest(), deadline: NodeServer.Deadline);
        var first = await NextAsync(call);

        Assert.True(first.Full);
        Assert.Equal(new[] { node.Id, web.Id, webChild.Id }.Order(StringComparer.Ordinal), first.Entries.Select(e => e.Id));
        var wireWeb = first.Entries.Single(e => e.Id == web.Id);
        Assert.Equal("spiffe://example.org/web", wireWeb.SpiffeId);
        Assert.Equal(node.SpiffeId, wireWeb.ParentId);
        Assert.Equal(["unix:uid:1001"], wireWeb.Selectors);
        Assert.Equal(["example.org", "partner.org"], first.Bundles.Select(b => b.TrustDomain));
        Assert.Equal(_server.Ca.Bundle.ToJson(), first.Bundles[0].Json);
        Assert.Empty(first.DeletedEntryIds);
    }

    [Fact]
    public async Task Sync_EntryCreatedUpdatedDeleted_PushedAtOnce()
    {
        var agent = await _server.AttestAsync();
        using var call = _server.NodeClient(agent).Sync(new SyncRequest(), deadline: NodeServer.Deadline);
        Assert.Empty((await NextAsync(call)).Entries);

        var watch = Stopwatch.StartNew();
        var created = await _server.CreateEntryAsync("/api", agent.Id.ToString());
        var pushed = await NextAsync(call);
        var createLatency = watch.Elapsed;
        Assert.False(pushed.Full);
        Assert.Equal(created.Id, Assert.Single(pushed.Entries).Id);
        Assert.Empty(pushed.Bundles);

        // A descendant created under it arrives too.
        var child = await _server.CreateEntryAsync("/api/worker", created.SpiffeId);
        Assert.Equal(child.Id, Assert.Single((await NextAsync(call)).Entries).Id);

        watch.Restart();
        created.Hint = "updated";
        var updated = await _server.AdminClient.UpdateEntryAsync(new UpdateEntryRequest { Entry = created }, deadline: NodeServer.Deadline);
        var update = await NextAsync(call);
        var updateLatency = watch.Elapsed;
        var wire = Assert.Single(update.Entries);
        Assert.Equal("updated", wire.Hint);
        Assert.Equal(updated.Revision, wire.Revision);

        watch.Restart();
        await _server.AdminClient.DeleteEntryAsync(new DeleteEntryRequest { Id = child.Id }, deadline: NodeServer.Deadline);
        var deleted = await NextAsync(call);
        var deleteLatency = watch.Elapsed;
        Assert.Equal([child.Id], deleted.DeletedEntryIds);
        Assert.Empty(deleted.Entries);

        Assert.True(createLatency < PushBudget, $"create reached the agent after {createLatency}");
        Assert.True(updateLatency < PushBudget, $"update reached the agent after {updateLatency}");
        Assert.True(deleteLatency < PushBudget, $"delete reached the agent after {deleteLatency}");
    }

    [Fact]
    public async Task Sync_FederatedBundleSetAndDeleted_AllBundlesPushed()
    {
        var agent = await _server.AttestAsync();
        using var call = _server.NodeClient(agent).Sync(new SyncRequest(), deadline: NodeServer.Deadline);
        Assert.Single((await NextAsync(call)).Bundles);

        await SetFederatedBundleAsync("partner.org");
        Assert.Equal(["example.org", "partner.org"], (await NextAsync(call)).Bundles.Select(b => b.TrustDomain));

        await _server.AdminClient.DeleteFederatedBundleAsync(new DeleteFederatedBundleRequest { TrustDomain = "partner.org" }, deadline: NodeServer.Deadline);
        Assert.Equal(["example.org"], (await NextAsync(call)).Bundles.Select(b => b.TrustDomain));
    }

    [Fact]
    public async Task Sync_AgentBanned_StreamEndsPermissionDenied()
    {
        var agent = await _server.AttestAsync();
        using var call = _server.NodeClient(agent).Sync(new SyncRequest(), deadline: NodeServer.Deadline);
        await NextAsync(call);

        await _server.AdminClient.BanAgentAsync(new BanAgentRequest { SpiffeId = agent.Id.ToString() }, deadline: NodeServer.Deadline);
        var ex = await Assert.ThrowsAsync<RpcException>(() => NextAsync(call));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("agent is banned", ex.Status.Detail);
    }

    [Fact]
    public async Task Sync_AgentEvicted_StreamEndsPermissionDenied()
    {
        var agent = await _server.AttestAsync();
        using var call = _server.NodeClient(agent).Sync(new SyncRequest(), deadline: NodeServer.Deadline);
        await NextAsync(call);

        await _server.AdminClient.EvictAgentAsync(new EvictAgentRequest { SpiffeId = agent.Id.ToString() }, deadline: NodeServer.Deadline);
        var ex = await Assert.ThrowsAsync<RpcException>(() => NextAsync(call));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("agent is not attested (evicted?): attest again", ex.Status.Detail);
    }

    [Fact]
    public async Task Sync_BannedAgent_RefusedAtOnce()
    {
        var agent = await _server.AttestAsync();
        await _server.AdminClient.BanAgentAsync(new BanAgentRequest { SpiffeId = agent.Id.ToString() }, deadline: NodeServer.Deadline);
        using var call = _server.NodeClient(agent).Sync(new SyncRequest(), deadline: NodeServer.Deadline);

        var ex = await Assert.ThrowsAsync<RpcException>(() => NextAsync(call));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("agent is banned", ex.Status.Detail);
    }

    private async Task SetFederatedBundleAsync(string trustDomain)
    {
        using var partner = TestCa.CreateRoot(trustDomain);
        var bundle = new SpiffeBundle(TrustDomain.Parse(trustDomain), new X509Bundle(TrustDomain.Parse(trustDomain), [partner.Certificate]));
        await _server.AdminClient.SetFederatedBundleAsync(new SetFederatedBundleRequest { TrustDomain = trustDomain, SpiffeBundleJson = bundle.ToJson() }, deadline: NodeServer.Deadline);
    }

    private static async Task<SyncResponse> NextAsync(AsyncServerStreamingCall<SyncResponse> call)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        Assert.True(await call.ResponseStream.MoveNext(cts.Token), "the Sync stream ended");
        return call.ResponseStream.Current;
    }
}
