using Tessera.Agent.Tests.Fakes;

namespace Tessera.Agent.Tests.NodeAttestation;

public sealed class EvictionTests
{
    [Fact]
    public async Task Evicted_WithX509Pop_DropsSvidReattestsAndKeepsServing()
    {
        using var nodeCa = TestCa.CreateRoot("nodes.example");
        await using var server = await FakeNodeServer.StartAsync();
        server.NodeCa = nodeCa.Certificate;
        server.Entries["e1"] = Entries.Make("e1");
        using var directory = new TempDirectory();
        using var node = nodeCa.IssueSvid("/node-1");
        var options = X509PopAttestationTests.WithNodeFiles(TestAgent.OptionsFor(server, directory), directory, node.ChainPem, node.KeyPem);
        await using var agent = await TestAgent.StartAsync(options);
        await agent.UntilSyncedAsync(1);
        var first = agent.Identity.Svid!;

        server.Evict(first.Id.ToString());

        await TestAgent.UntilAsync(() => agent.Identity.Svid is { } svid && svid.Serial != first.Serial, "a new agent SVID");
        Assert.Equal(2, server.AttestCalls);
        Assert.Equal(first.Id, agent.Identity.Svid!.Id);

        // The re-attested agent syncs again on a fresh channel: a new entry reaches it.
        server.PutEntry(Entries.Make("e2"));
        await agent.UntilSyncedAsync(2);
        Assert.Null(agent.Termination.Reason);
        var stored = agent.Store.LoadSvid(out _);
        Assert.Equal(agent.Identity.Svid.Serial, stored!.Serial);
    }

    [Fact]
    public async Task Evicted_WithSpentJoinToken_StopsWithClearReason()
    {
        await using var server = await FakeNodeServer.StartAsync();
        server.Entries["e1"] = Entries.Make("e1");
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await agent.UntilSyncedAsync(1);

        server.Evict(agent.Identity.Svid!.Id.ToString());

        await TestAgent.UntilAsync(() => agent.Termination.Reason is not null, "the agent to give up");
        Assert.Equal("node attestation (join_token) was refused: attestation failed: PermissionDenied: join token is unknown or already used", agent.Termination.Reason);
        Assert.False(File.Exists(agent.Store.ChainPath)); // the refused SVID is not kept for the next start
    }
}
