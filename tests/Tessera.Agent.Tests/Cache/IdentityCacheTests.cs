using System.Collections.Immutable;
using Tessera.Agent.Cache;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Tests.Cache;

public sealed class IdentityCacheTests
{
    private static readonly TrustDomain Domain = TrustDomain.Parse("example.org");

    [Fact]
    public async Task WaitForChangeAsync_UpdateAfterWait_Completes()
    {
        var cache = new IdentityCache(Domain);
        var seen = cache.Current.Version;
        var waiting = cache.WaitForChangeAsync(seen, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        cache.Update(s => s with { Synced = true });

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(seen + 1, cache.Current.Version);
        Assert.True(cache.Current.Synced);
    }

    [Fact]
    public async Task WaitForChangeAsync_AlreadyChanged_CompletesAtOnce()
    {
        var cache = new IdentityCache(Domain);
        cache.Update(s => s);

        await cache.WaitForChangeAsync(0, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Match_RequiresEverySelector()
    {
        var both = Entry("a", "spiffe://example.org/both", "unix:uid:1001", "unix:gid:50");
        var uidOnly = Entry("b", "spiffe://example.org/uid", "unix:uid:1001");
        var other = Entry("c", "spiffe://example.org/other", "unix:uid:2002");
        var snapshot = new CacheSnapshot { TrustDomain = Domain, Entries = new[] { both, uidOnly, other }.ToImmutableDictionary(e => e.Id, StringComparer.Ordinal) };

        var matched = snapshot.Match(new HashSet<string>(StringComparer.Ordinal) { "unix:uid:1001", "unix:user:alice" });

        Assert.Equal(["b"], matched.Select(e => e.Id));
        Assert.Equal(["a", "b"], snapshot.Match(new HashSet<string>(StringComparer.Ordinal) { "unix:uid:1001", "unix:gid:50" }).Select(e => e.Id));
        Assert.Empty(snapshot.Match(new HashSet<string>(StringComparer.Ordinal) { "unix:gid:50" }));
    }

    private static AgentEntry Entry(string id, string spiffeId, params string[] selectors) => new()
    {
        Id = id,
        SpiffeId = SpiffeId.Parse(spiffeId),
        ParentId = SpiffeId.Parse("spiffe://example.org/agent"),
        Selectors = selectors,
    };
}
