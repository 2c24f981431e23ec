using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Agent.Cache;
using Tessera.Agent.Svids;
using Tessera.Agent.Tests.Fakes;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.Tests.Svids;

/// <summary>Emergency rotation on the agent: SVIDs of a tainted CA are re-issued after the pushed delay; cached JWT-SVIDs of a tainted kid are dropped.</summary>
public sealed class TaintedCaReissueTests
{
    [Fact]
    public async Task TaintedCa_SvidsReissuedAfterTheDelayNotBefore_AndTheAgentRenewsItsOwn()
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
        var renewsBefore = server.RenewCalls;
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var newCa = X509SvidIssuer.CreateAuthority(server.TrustDomain, newKey, clock.GetUtcNow().AddDays(-1), clock.GetUtcNow().AddYears(1));
        server.WorkloadCa = newCa;
        var tainted = agent.Services.GetRequiredService<TaintedAuthorities>();

        var start = clock.GetUtcNow();
        server.PushTainted(Taint("x509", Ski(server.Ca), start, TimeSpan.FromSeconds(2)));
        await TestAgent.UntilAsync(() => tainted.X509Count == 1, "the tainted set applied");

        // Before taint + delay nothing is re-issued: relying parties may not have the new CA yet.
        clock.Advance(TimeSpan.FromSeconds(1.5));
        await Task.Delay(300);
        Assert.All(agent.Cache.Current.Svids, p => Assert.Equal(original[p.Key], p.Value.Serial));

        // After taint + delay + window (2 s + 2 s) every SVID comes from the new CA, and the agent renewed its own.
        await AdvanceUntilAsync(clock, () => agent.Cache.Current.Svids.Values.All(s => Aki(s) == Ski(newCa)) && server.RenewCalls > renewsBefore, "every SVID re-issued by the new CA and the agent's own renewed");
        Assert.Equal(20, agent.Cache.Current.Svids.Count);
    }

    [Fact]
    public async Task TaintedCa_ReissuedSvidStillFromIt_NotReissuedAgainInALoop()
    {
        var clock = new ManualClock();
        await using var server = await FakeNodeServer.StartAsync(clock);
        server.AgentSvidTtl = TimeSpan.FromDays(1);
        server.Entries["e1"] = Entries.Make("e1", ttlSeconds: 3600);
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory), clock);
        await agent.UntilSyncedAsync(1);
        var tainted = agent.Services.GetRequiredService<TaintedAuthorities>();

        server.PushTainted(Taint("x509", Ski(server.Ca), clock.GetUtcNow(), TimeSpan.FromSeconds(1)));
        await TestAgent.UntilAsync(() => tainted.X509Count == 1, "the tainted set applied");
        var first = agent.Cache.Current.Svids["e1"].Serial;
        await AdvanceUntilAsync(clock, () => agent.Cache.Current.Svids["e1"].Serial != first, "the SVID re-issued");
        var batches = server.BatchSizes.Count;

        await Task.Delay(500);
        Assert.Equal(batches, server.BatchSizes.Count);
    }

    [Fact]
    public async Task TaintedJwtKey_CachedTokenDropped_NextMintGoesToTheServer()
    {
        await using var server = await FakeNodeServer.StartAsync();
        server.Entries["e1"] = Entries.Make("e1");
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await agent.UntilSyncedAsync(1);
        var minter = agent.Services.GetRequiredService<IJwtSvidMinter>();
        var entry = agent.Cache.Current.Entries["e1"];
        var tainted = agent.Services.GetRequiredService<TaintedAuthorities>();
        var first = await minter.MintAsync(entry, ["a"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Same(first, await minter.MintAsync(entry, ["a"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15)));

        server.PushTainted(Taint("jwt", "k1", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(2)));
        await TestAgent.UntilAsync(() => tainted.IsJwtKeyTainted("k1"), "the tainted set applied");
        server.JwtKid = "k2";
        var second = await minter.MintAsync(entry, ["a"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.NotEqual(first, second);
        Assert.Equal(2, server.JwtCalls);
        Assert.Same(second, await minter.MintAsync(entry, ["a"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15)));
    }

    [Fact]
    public void ReissueAt_UnknownCaOrSvidAfterTheTaint_Null_ElseDelayPlusShareOfWindow()
    {
        var tainted = new TaintedAuthorities();
        var at = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var problems = new List<string>();
        var wire = Taint("x509", "AB01", at, TimeSpan.FromSeconds(2));
        wire.Authorities.Add(new NodeTaintedAuthority { Kind = "bogus", Identifier = "x" });
        tainted.Apply(wire, problems);

        Assert.Equal(["tainted authority of kind 'bogus'"], problems);
        Assert.Equal(at + TimeSpan.FromSeconds(3), tainted.ReissueAt("AB01", at.AddMinutes(-5), 0.5));
        Assert.Null(tainted.ReissueAt("CD02", at.AddMinutes(-5), 0.5));
        Assert.Null(tainted.ReissueAt("AB01", at.AddSeconds(1), 0.5));
    }

    // The manual clock moves in 500 ms steps until the condition holds: a single big step can land between the
    // agent computing its wake-up and arming its timer, which would then wait for a clock that never moves again.
    private static async Task AdvanceUntilAsync(ManualClock clock, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after 60 s waiting for {what}");
            clock.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(50);
        }
    }

    private static NodeTaintedAuthorities Taint(string kind, string identifier, DateTimeOffset at, TimeSpan delay) => new()
    {
        Authorities = { new NodeTaintedAuthority { Kind = kind, Identifier = identifier, TaintedAtUnixMs = at.ToUnixTimeMilliseconds() } },
        ReissueDelayMs = (long)delay.TotalMilliseconds,
        ReissueWindowMs = (long)delay.TotalMilliseconds,
    };

    private static string Ski(X509Certificate2 ca) => ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier!;

    private static string Aki(CachedSvid svid) => ChainIssuer.AuthorityKeyIdOf(svid.ChainDer);
}
