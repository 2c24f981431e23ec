using System.Security.Cryptography;
using System.Text;
using Tessera.Server.Datastore;

namespace Tessera.Server.Tests.Datastore;

public abstract partial class DataStoreConformanceTests
{
    [Fact]
    public async Task CreateJoinToken_Always_StoresOnlyTheSha256()
    {
        var stored = await Store.CreateJoinTokenAsync("raw-secret-token", null, Clock.GetUtcNow().AddMinutes(10), Ct);

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("raw-secret-token"))), stored.TokenHash);
        Assert.Null(stored.SpiffeId);
        Assert.Equal(1, await RawCountAsync($"SELECT COUNT(*) FROM join_tokens WHERE token_hash = '{stored.TokenHash}'"));
        Assert.Equal(0, await RawCountAsync("SELECT COUNT(*) FROM join_tokens WHERE token_hash LIKE '%raw-secret%'"));
    }

    [Fact]
    public async Task ConsumeJoinToken_TwentyConcurrentConsumers_ExactlyOneWins()
    {
        await Store.CreateJoinTokenAsync("tok-race", Id("/node"), Clock.GetUtcNow().AddMinutes(10), Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Store.ConsumeJoinTokenAsync("tok-race", Ct))));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal("spiffe://example.org/node", winner!.SpiffeId.ToString());
        Assert.Null(await Store.ConsumeJoinTokenAsync("tok-race", Ct));
    }

    [Fact]
    public async Task ConsumeJoinToken_UnknownOrExpired_ReturnsNull()
    {
        await Store.CreateJoinTokenAsync("tok-expiring", null, Clock.GetUtcNow().AddMinutes(10), Ct);
        Clock.Advance(TimeSpan.FromMinutes(10));

        Assert.Null(await Store.ConsumeJoinTokenAsync("tok-expiring", Ct));
        Assert.Null(await Store.ConsumeJoinTokenAsync("tok-never-issued", Ct));
    }

    [Fact]
    public async Task CreateJoinToken_SameTokenTwice_ThrowsDuplicateConflict()
    {
        await Store.CreateJoinTokenAsync("tok-dup", null, Clock.GetUtcNow().AddMinutes(10), Ct);

        var exception = await Assert.ThrowsAsync<DataStoreConflictException>(() =>
            Store.CreateJoinTokenAsync("tok-dup", null, Clock.GetUtcNow().AddMinutes(10), Ct));

        Assert.Equal(DataStoreConflict.DuplicateJoinToken, exception.Conflict);
    }

    [Fact]
    public async Task PruneJoinTokens_Expired_DeletesOnlyThose()
    {
        await Store.CreateJoinTokenAsync("tok-old", null, Clock.GetUtcNow().AddMinutes(1), Ct);
        await Store.CreateJoinTokenAsync("tok-new", null, Clock.GetUtcNow().AddHours(1), Ct);

        Assert.Equal(1, await Store.PruneJoinTokensAsync(Clock.GetUtcNow().AddMinutes(5), Ct));
        Assert.NotNull(await Store.ConsumeJoinTokenAsync("tok-new", Ct));
    }
}
