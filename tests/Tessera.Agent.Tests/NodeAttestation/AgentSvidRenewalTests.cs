using Tessera.Agent.Tests.Fakes;

namespace Tessera.Agent.Tests.NodeAttestation;

public sealed class AgentSvidRenewalTests
{
    [Fact]
    public async Task Renewal_AtHalfLife_ReplacesAndPersistsAgentSvid()
    {
        var clock = new ManualClock();
        await using var server = await FakeNodeServer.StartAsync(clock);
        server.AgentSvidTtl = TimeSpan.FromHours(1);
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory), clock, noConnectionReuse: true);
        await TestAgent.UntilAsync(() => agent.Identity.Svid is not null, "attestation");
        var first = agent.Identity.Svid!;

        // The clock moves in one-minute steps: one big step could land between the agent computing its wake-up and
        // arming its timer, which would then be late by the whole step.
        var start = clock.GetUtcNow();
        await AdvanceAsync(clock, TimeSpan.FromMinutes(29));
        Assert.Equal(0, server.RenewCalls);

        // One-second steps from here: the clock keeps moving while the renewal is in flight, so the bounds allow for it.
        await AdvanceUntilAsync(clock, TimeSpan.FromSeconds(1), () => agent.Identity.Svid!.Serial != first.Serial, "a renewed agent SVID");
        Assert.InRange(clock.GetUtcNow() - start, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(35));

        var renewed = agent.Identity.Svid!;
        Assert.Equal(1, server.RenewCalls);
        Assert.Equal(1, server.AttestCalls);
        Assert.Equal(first.Id, renewed.Id);
        Assert.InRange(renewed.NotAfter - first.NotAfter, TimeSpan.FromMinutes(29), TimeSpan.FromMinutes(35)); // a whole new hour from the renewal
        await TestAgent.UntilAsync(() => agent.Store.LoadSvid(out _)?.Serial == renewed.Serial, "the renewed SVID on disk");

        // The renewed SVID is what the next calls present: a second renewal half a lifetime later works too.
        await AdvanceUntilAsync(clock, TimeSpan.FromMinutes(1), () => server.RenewCalls == 2, "a second renewal");
        Assert.Null(agent.Termination.Reason);
    }

    private static async Task AdvanceAsync(ManualClock clock, TimeSpan by)
    {
        for (var moved = TimeSpan.Zero; moved < by; moved += TimeSpan.FromMinutes(1))
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(20);
        }
    }

    private static async Task AdvanceUntilAsync(ManualClock clock, TimeSpan step, Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out after 60 s waiting for {what}");
            clock.Advance(step);
            await Task.Delay(20);
        }
    }
}
