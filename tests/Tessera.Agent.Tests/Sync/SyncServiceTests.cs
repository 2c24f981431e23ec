using System.Security.Cryptography;
using Tessera.Agent.Tests.Fakes;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.Tests.Sync;

public sealed class SyncServiceTests
{
    [Fact]
    public async Task EntryCreated_PushedToAgentWithoutPolling()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await TestAgent.UntilAsync(() => agent.Cache.Current.Synced, "the first full sync");
        Assert.Empty(agent.Cache.Current.Entries);

        server.PutEntry(Entries.Make("e1"));

        await agent.UntilSyncedAsync(1);
        Assert.Equal("spiffe://example.org/workload/e1", agent.Cache.Current.Entries["e1"].SpiffeId.ToString());
        Assert.Equal(1, server.SyncStreamsOpened);
    }

    [Fact]
    public async Task StreamDropped_ReconnectsWithFullResync()
    {
        await using var server = await FakeNodeServer.StartAsync();
        server.Entries["e1"] = Entries.Make("e1");
        server.Entries["e2"] = Entries.Make("e2");
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await agent.UntilSyncedAsync(2);

        // Changes the agent never hears about as deltas: only a full resync can bring them.
        server.DeleteEntry("e2", push: false);
        server.Entries["e3"] = Entries.Make("e3");
        server.DropStreams();

        await TestAgent.UntilAsync(() => agent.Cache.Current.Entries.ContainsKey("e3") && !agent.Cache.Current.Entries.ContainsKey("e2"), "the resynced entry set");
        await agent.UntilSyncedAsync(2);
        Assert.False(agent.Cache.Current.Svids.ContainsKey("e2"));
        Assert.Equal(2, server.SyncStreamsOpened);
        Assert.Equal(1, agent.Metrics.SyncReconnects);
    }

    [Fact]
    public async Task ServerStopped_CachedSvidsKeptThenReconnectsAndCatchesUp()
    {
        await using var server = await FakeNodeServer.StartAsync();
        server.Entries["e1"] = Entries.Make("e1");
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await agent.UntilSyncedAsync(1);
        var cached = agent.Cache.Current.Svids["e1"];

        await server.StopAsync();
        server.Entries["e2"] = Entries.Make("e2"); // created while the agent could not hear about it
        await Task.Delay(1500); // several reconnect attempts fail meanwhile

        Assert.Same(cached, agent.Cache.Current.Svids["e1"]);
        Assert.True(agent.Cache.Current.Synced);

        await server.RestartAsync();
        await TestAgent.UntilAsync(() => agent.Cache.Current.Svids.Count == 2, "the entry created while the server was down", seconds: 30);
        Assert.Same(cached, agent.Cache.Current.Svids["e1"]); // still valid: not re-signed
        Assert.True(agent.Metrics.SyncReconnects >= 2, $"reconnects: {agent.Metrics.SyncReconnects}");
    }

    [Fact]
    public async Task Bundles_OwnAndFederated_ReplaceCacheBundlesAndPinOwn()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await TestAgent.UntilAsync(() => agent.Cache.Current.Synced, "the first full sync");
        Assert.Equal([server.TrustDomain], agent.Cache.Current.Bundles.Keys);

        var partner = TrustDomain.Parse("partner.example");
        using var partnerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var partnerCa = X509SvidIssuer.CreateAuthority(partner, partnerKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var rotatedKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rotatedCa = X509SvidIssuer.CreateAuthority(server.TrustDomain, rotatedKey, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var own = new SpiffeBundle(server.TrustDomain, new X509Bundle(server.TrustDomain, [server.Ca, rotatedCa])).ToJson();
        server.PushBundles(
            new NodeBundle { TrustDomain = server.TrustDomain.Name, Json = own },
            new NodeBundle { TrustDomain = partner.Name, Json = new SpiffeBundle(partner, new X509Bundle(partner, [partnerCa])).ToJson() },
            new NodeBundle { TrustDomain = "Bad Domain", Json = "{}" });

        await TestAgent.UntilAsync(() => agent.Cache.Current.Bundles.Count == 2, "own and federated bundles");
        Assert.Equal(2, agent.Cache.Current.Bundles[server.TrustDomain].X509Bundle.Authorities.Count);
        Assert.True(agent.Cache.Current.Bundles[partner].X509Bundle.Contains(partnerCa));
        await TestAgent.UntilAsync(() => agent.Identity.Bundle!.X509Bundle.Contains(rotatedCa), "the rotated own bundle pinned");
        Assert.True(SpiffeBundle.Parse(server.TrustDomain, await File.ReadAllTextAsync(agent.Store.BundlePath)).X509Bundle.Contains(rotatedCa));

        server.PushBundles(new NodeBundle { TrustDomain = server.TrustDomain.Name, Json = own });
        await TestAgent.UntilAsync(() => agent.Cache.Current.Bundles.Count == 1, "the federated bundle removed");
    }
}
