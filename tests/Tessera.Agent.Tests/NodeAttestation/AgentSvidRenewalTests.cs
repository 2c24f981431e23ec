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

        clock.Advance(TimeSpan.FromMinutes(29));
        await Task.Delay(300);
        Assert.Equal(0, server.RenewCalls);

        clock.Advance(TimeSpan.FromMinutes(2));
        await TestAgent.UntilAsync(() => agent.Identity.Svid!.Serial != first.Serial, "a renewed agent SVID");

        var renewed = agent.Identity.Svid!;
        Assert.Equal(1, server.RenewCalls);
        Assert.Equal(1, server.AttestCalls);
        Assert.Equal(first.Id, renewed.Id);
        Assert.InRange(renewed.NotAfter.ToUnixTimeSeconds() - clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), -2, 0);
        await TestAgent.UntilAsync(() => agent.Store.LoadSvid(out _)?.Serial == renewed.Serial, "the renewed SVID on disk");

        // The renewed SVID is what the next calls present: a second renewal half a lifetime later works too.
        clock.Advance(TimeSpan.FromMinutes(31));
        await TestAgent.UntilAsync(() => server.RenewCalls == 2, "a second renewal");
        Assert.Null(agent.Termination.Reason);
    }
}
