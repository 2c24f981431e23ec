using Tessera.Agent.Svids;
using Tessera.Agent.Tests.Fakes;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.Tests.Svids;

public sealed class SvidManagerTests
{
    [Fact]
    public async Task Sync_ManyEntries_SignsInBatchesOfAtMost500AndEverySvidVerifies()
    {
        await using var server = await FakeNodeServer.StartAsync();
        for (var i = 0; i < 1001; i++)
        {
            server.Entries[$"e{i}"] = Entries.Make($"e{i}");
        }

        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await TestAgent.UntilAsync(() => agent.Cache.Current.Svids.Count == 1001, "1001 SVIDs", seconds: 60);

        // Two batches are in flight at once, so the small last one may reach the server before a big one.
        Assert.Equal([1, 500, 500], server.BatchSizes.Order().ToArray());
        var bundle = new X509Bundle(server.TrustDomain, [server.Ca]);
        foreach (var (entryId, cached) in agent.Cache.Current.Svids.Take(20))
        {
            using var svid = X509Svid.ParseRaw(cached.ChainDer, cached.KeyPkcs8);
            Assert.True(X509SvidVerifier.Verify(svid.Chain, bundle, TimeProvider.System).IsValid);
            Assert.Equal($"spiffe://example.org/workload/{entryId}", svid.Id.ToString());
            Assert.Equal(svid.Certificate.SerialNumber, cached.Serial);
            Assert.Equal(1, cached.EntryRevision);
            Assert.NotEmpty(cached.AuthorityKeyId);
            Assert.Equal(ChainIssuer.AuthorityKeyIdOf(cached.ChainDer), cached.AuthorityKeyId);
        }
    }

    [Fact]
    public async Task Sync_ManyEntries_TwoBatchesInFlightNeverMore()
    {
        await using var server = await FakeNodeServer.StartAsync();
        for (var i = 0; i < 2001; i++)
        {
            server.Entries[$"e{i}"] = Entries.Make($"e{i}");
        }

        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.HoldSigning = hold;
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));

        // Both held calls arrive: the second batch was prepared and sent while the first was at the server.
        await TestAgent.UntilAsync(() => server.SignCalls.Current == SvidManager.BatchesInFlight, "two SignX509Svids calls at once", seconds: 60);
        await Task.Delay(500);
        Assert.Equal(SvidManager.BatchesInFlight, server.SignCalls.Current);
        Assert.Empty(agent.Cache.Current.Svids);

        hold.SetResult();
        await TestAgent.UntilAsync(() => agent.Cache.Current.Svids.Count == 2001, "2001 SVIDs", seconds: 60);
        Assert.Equal(SvidManager.BatchesInFlight, server.SignCalls.Max);
        Assert.Equal([1, 500, 500, 500, 500], server.BatchSizes.Order().ToArray());
    }

    [Fact]
    public async Task Rotation_AtAboutHalfLifeWithJitter_SpreadOverTheWindow()
    {
        var clock = new ManualClock();
        await using var server = await FakeNodeServer.StartAsync(clock);
        server.AgentSvidTtl = TimeSpan.FromDays(1);
        for (var i = 0; i < 20; i++)
        {
            server.Entries[$"e{i}"] = Entries.Make($"e{i}", ttlSeconds: 3600);
        }

        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory), clock);
        await agent.UntilSyncedAsync(20);
        var original = agent.Cache.Current.Svids.ToDictionary(p => p.Key, p => p.Value.Serial);
        int Rotated() => agent.Cache.Current.Svids.Count(p => p.Value.Serial != original[p.Key]);

        // Rotation points lie in [24 min, 36 min] for a 1 h SVID (half-life ± 10 %).
        clock.Advance(TimeSpan.FromMinutes(23));
        await Settle(Rotated);
        Assert.Equal(0, Rotated());

        var stepsWithRotations = 0;
        var last = 0;
        for (var minute = 24; minute <= 37; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var now = await Settle(Rotated);
            stepsWithRotations += now > last ? 1 : 0;
            last = now;
        }

        // Under load the agent can lag behind a clock step by more than the settle window; every point has passed
        // by minute 37, so wait (time-boxed) for the last ones instead of asserting at once.
        await TestAgent.UntilAsync(() => Rotated() == 20 && agent.Metrics.Rotations == 40, "all 20 SVIDs rotated", seconds: 60);
        Assert.True(stepsWithRotations >= 3, $"rotations were bunched into {stepsWithRotations} minute(s)");
        Assert.All(agent.Cache.Current.Svids.Values, s => Assert.True(s.NotAfter > clock.GetUtcNow().AddMinutes(20)));
    }

    [Fact]
    public async Task DeleteEntry_DropsItsSvidAtOnce()
    {
        await using var server = await FakeNodeServer.StartAsync();
        server.Entries["keep"] = Entries.Make("keep");
        server.Entries["gone"] = Entries.Make("gone");
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await agent.UntilSyncedAsync(2);

        server.DeleteEntry("gone");

        await TestAgent.UntilAsync(() => !agent.Cache.Current.Svids.ContainsKey("gone"), "the deleted entry's SVID to go");
        Assert.False(agent.Cache.Current.Entries.ContainsKey("gone"));
        Assert.True(agent.Cache.Current.Svids.ContainsKey("keep"));
    }

    [Fact]
    public async Task EntryRevisionChange_ResignsSvid()
    {
        await using var server = await FakeNodeServer.StartAsync();
        server.Entries["e1"] = Entries.Make("e1", revision: 1);
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await agent.UntilSyncedAsync(1);
        var before = agent.Cache.Current.Svids["e1"];

        server.PutEntry(Entries.Make("e1", revision: 2, spiffeId: "spiffe://example.org/workload/renamed"));

        await TestAgent.UntilAsync(() => agent.Cache.Current.Svids.TryGetValue("e1", out var s) && s.EntryRevision == 2, "an SVID for revision 2");
        var after = agent.Cache.Current.Svids["e1"];
        Assert.NotEqual(before.Serial, after.Serial);
        Assert.Equal("spiffe://example.org/workload/renamed", after.SpiffeId.ToString());
    }

    [Fact]
    public async Task ItemRefused_RetriedWithBackoffNotInAHotLoop()
    {
        var clock = new ManualClock();
        await using var server = await FakeNodeServer.StartAsync(clock);
        server.AgentSvidTtl = TimeSpan.FromDays(1);
        server.Entries["ok"] = Entries.Make("ok");
        server.Entries["refused"] = Entries.Make("refused");
        server.RefusedEntries["refused"] = 0;
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory), clock);
        await agent.UntilSyncedAsync(1);

        await Task.Delay(500); // with the clock standing still, nothing may be retried
        Assert.Equal([2], server.BatchSizes.ToArray());
        Assert.False(agent.Cache.Current.Svids.ContainsKey("refused"));

        server.RefusedEntries.Clear();
        clock.Advance(TimeSpan.FromSeconds(1.1)); // the first retry step is at most 1 s
        await agent.UntilSyncedAsync(2);
        Assert.Equal([2, 1], server.BatchSizes.ToArray());
    }

    [Fact]
    public async Task ServerDown_CachedSvidsServedUntilExpiryThenDropped()
    {
        var clock = new ManualClock();
        await using var server = await FakeNodeServer.StartAsync(clock);
        server.AgentSvidTtl = TimeSpan.FromDays(1);
        server.Entries["e1"] = Entries.Make("e1", ttlSeconds: 3600);
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory), clock);
        await agent.UntilSyncedAsync(1);
        var cached = agent.Cache.Current.Svids["e1"];

        server.Down = true;
        clock.Advance(TimeSpan.FromMinutes(50)); // past the rotation point: renewal fails, the old SVID stays
        await Settle(() => agent.Cache.Current.Svids.Count);
        Assert.Same(cached, agent.Cache.Current.Svids["e1"]);
        Assert.True(agent.Cache.Current.Entries.ContainsKey("e1"));

        clock.Advance(TimeSpan.FromMinutes(11)); // past NotAfter
        await TestAgent.UntilAsync(() => agent.Cache.Current.Svids.IsEmpty, "the expired SVID to be dropped");
        Assert.True(agent.Cache.Current.Entries.ContainsKey("e1"));

        // Back up: the agent reconnects (backoff on the test clock), resyncs and signs again.
        server.Down = false;
        await TestAgent.UntilAsync(() =>
        {
            clock.Advance(TimeSpan.FromSeconds(5));
            return agent.Cache.Current.Svids.ContainsKey("e1");
        }, "a fresh SVID after the server came back", seconds: 30);
        Assert.True(agent.Cache.Current.Svids["e1"].NotAfter > clock.GetUtcNow());
    }

    /// <summary>Waits until <paramref name="probe"/> has not changed for 1 s (the agent reacted to the last clock move).</summary>
    private static async Task<int> Settle(Func<int> probe)
    {
        var value = probe();
        var stableSince = DateTime.UtcNow;
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow - stableSince < TimeSpan.FromSeconds(1) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25);
            var next = probe();
            if (next != value)
            {
                value = next;
                stableSince = DateTime.UtcNow;
            }
        }

        return value;
    }
}
