using Microsoft.Extensions.DependencyInjection;
using Tessera.Agent.Cache;
using Tessera.Agent.Jwt;
using Tessera.Agent.Tests.Fakes;

namespace Tessera.Agent.Tests.Jwt;

public sealed class JwtSvidMinterTests
{
    [Fact]
    public async Task Mint_SameAudienceSetInAnyOrder_CachedUntilHalfLife()
    {
        var clock = new ManualClock();
        await using var server = await FakeNodeServer.StartAsync(clock);
        server.AgentSvidTtl = TimeSpan.FromDays(1);
        server.Entries["e1"] = Entries.Make("e1"); // JWT TTL 300 s
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory), clock);
        await agent.UntilSyncedAsync(1);
        var minter = agent.Services.GetRequiredService<IJwtSvidMinter>();
        var entry = agent.Cache.Current.Entries["e1"];

        var first = await minter.MintAsync(entry, ["b", "a"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        var again = await minter.MintAsync(entry, ["a", "b", "a"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Same(first, again);
        Assert.Equal(1, server.JwtCalls);

        var other = await minter.MintAsync(entry, ["a"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.NotEqual(first, other);
        Assert.Equal(2, server.JwtCalls);

        clock.Advance(TimeSpan.FromSeconds(149));
        Assert.Same(first, await minter.MintAsync(entry, ["a", "b"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15)));
        clock.Advance(TimeSpan.FromSeconds(2));
        var refreshed = await minter.MintAsync(entry, ["a", "b"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.NotEqual(first, refreshed);
        Assert.Equal(3, server.JwtCalls);
    }

    [Fact]
    public async Task Mint_BoundToCertificate_SentToServerAndCachedPerCertificate()
    {
        await using var server = await FakeNodeServer.StartAsync();
        server.Entries["e1"] = Entries.Make("e1");
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await agent.UntilSyncedAsync(1);
        var minter = agent.Services.GetRequiredService<IJwtSvidMinter>();
        var entry = agent.Cache.Current.Entries["e1"];
        byte[] first = [0x30, 0x01, 0x01];
        byte[] rotated = [0x30, 0x01, 0x02];

        var unbound = await minter.MintAsync(entry, ["a"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Null(server.LastJwtBinding);
        var bound = await minter.MintAsync(entry, ["a"], first, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(first, server.LastJwtBinding);
        var again = await minter.MintAsync(entry, ["a"], first, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
        var afterRotation = await minter.MintAsync(entry, ["a"], rotated, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));

        Assert.NotEqual(unbound, bound);
        Assert.Same(bound, again);
        Assert.NotEqual(bound, afterRotation);
        Assert.Equal(rotated, server.LastJwtBinding);
        Assert.Equal(3, server.JwtCalls);
    }

    [Fact]
    public async Task Mint_EntryNotAuthorised_ThrowsWithServerReason()
    {
        await using var server = await FakeNodeServer.StartAsync();
        server.Entries["e1"] = Entries.Make("e1");
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        await agent.UntilSyncedAsync(1);
        var entry = agent.Cache.Current.Entries["e1"] with { Id = "not-mine" };

        var error = await Assert.ThrowsAsync<JwtSvidMintException>(() => agent.Services.GetRequiredService<IJwtSvidMinter>().MintAsync(entry, ["a"], null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15)));

        Assert.Equal("could not mint a JWT-SVID: PermissionDenied: entry not authorised", error.Message);
        Assert.True(error.Refused);
    }
}
