using System.Collections.Immutable;
using Tessera.Agent.Cache;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Tests.Cache;

public sealed class SelectorIndexTests
{
    private static readonly TrustDomain Domain = TrustDomain.Parse("example.org");

    /// <summary>The matching rule as it was before the index: a scan of every entry.</summary>
    private static List<AgentEntry> Scan(IEnumerable<AgentEntry> entries, IReadOnlySet<string> caller)
    {
        var matched = entries.Where(e => e.Selectors.Count > 0 && e.Selectors.All(caller.Contains)).ToList();
        matched.Sort(SelectorIndex.Order);
        return matched;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Match_RandomEntrySets_SameAsScan(int seed)
    {
        var random = new Random(seed);
        var pool = Enumerable.Range(0, 12).Select(i => $"t{i % 3}:v{i}").ToArray();
        var entries = Enumerable.Range(0, 400).Select(i => Entry(
            $"e{i}",
            // Few distinct SPIFFE IDs, so the tie-break on entry id is exercised too.
            $"spiffe://example.org/w/{random.Next(40)}",
            [.. Enumerable.Range(0, random.Next(0, 4)).Select(_ => pool[random.Next(pool.Length)])])).ToList();
        var index = SelectorIndex.Build(entries);

        for (var i = 0; i < 300; i++)
        {
            var caller = Enumerable.Range(0, random.Next(0, 8)).Select(_ => pool[random.Next(pool.Length)]).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(Scan(entries, caller).Select(e => e.Id), index.Match(caller).Select(e => e.Id));
        }
    }

    [Fact]
    public void Match_EntryWithoutSelectors_NeverMatches()
    {
        var index = SelectorIndex.Build([Entry("none", "spiffe://example.org/none"), Entry("one", "spiffe://example.org/one", "unix:uid:1")]);

        Assert.Empty(index.Match(new HashSet<string>(StringComparer.Ordinal)));
        Assert.Equal(["one"], index.Match(new HashSet<string>(StringComparer.Ordinal) { "unix:uid:1", "unix:gid:1" }).Select(e => e.Id));
        Assert.Equal(1, index.KeyCount);
    }

    [Fact]
    public void Match_DuplicateSelectorInEntry_MatchedOnce()
    {
        var index = SelectorIndex.Build([Entry("dup", "spiffe://example.org/dup", "unix:uid:1", "unix:uid:1", "unix:gid:2")]);

        Assert.Equal(["dup"], index.Match(new HashSet<string>(StringComparer.Ordinal) { "unix:uid:1", "unix:gid:2" }).Select(e => e.Id));
        Assert.Empty(index.Match(new HashSet<string>(StringComparer.Ordinal) { "unix:uid:1" }));
    }

    [Fact]
    public void Match_OrdersBySpiffeIdThenEntryId()
    {
        var index = SelectorIndex.Build(
        [
            Entry("z", "spiffe://example.org/a", "unix:uid:1"),
            Entry("b", "spiffe://example.org/b", "unix:uid:1", "unix:gid:1"),
            Entry("a", "spiffe://example.org/a", "unix:gid:1"),
        ]);

        Assert.Equal(["a", "z", "b"], index.Match(new HashSet<string>(StringComparer.Ordinal) { "unix:uid:1", "unix:gid:1" }).Select(e => e.Id));
    }

    [Fact]
    public void SnapshotMatch_EntriesReplacedUpdatedOrRemoved_FollowsTheNewEntries()
    {
        var caller = new HashSet<string>(StringComparer.Ordinal) { "unix:uid:1" };
        var first = Snapshot(Entry("a", "spiffe://example.org/a", "unix:uid:1"), Entry("b", "spiffe://example.org/b", "unix:uid:1"));
        Assert.Equal(["a", "b"], first.Match(caller).Select(e => e.Id));

        var removed = first with { Entries = first.Entries.Remove("a") };
        var updated = removed with { Entries = removed.Entries.SetItem("b", Entry("b", "spiffe://example.org/b", "unix:uid:2")) };
        var added = updated with { Entries = updated.Entries.Add("c", Entry("c", "spiffe://example.org/c", "unix:uid:1")) };

        Assert.Equal(["b"], removed.Match(caller).Select(e => e.Id));
        Assert.Empty(updated.Match(caller));
        Assert.Equal(["c"], added.Match(caller).Select(e => e.Id));
        // Earlier snapshots are untouched by the later ones.
        Assert.Equal(["a", "b"], first.Match(caller).Select(e => e.Id));
    }

    [Fact]
    public void SnapshotMatch_ChangeThatKeepsEntries_SameResult()
    {
        var caller = new HashSet<string>(StringComparer.Ordinal) { "unix:uid:1" };
        var snapshot = Snapshot(Entry("a", "spiffe://example.org/a", "unix:uid:1"));
        Assert.Equal(["a"], snapshot.Match(caller).Select(e => e.Id));

        var next = snapshot with { Synced = true, Svids = snapshot.Svids.Clear() };

        Assert.Equal(["a"], next.Match(caller).Select(e => e.Id));
    }

    [Fact]
    public void SnapshotEquality_MatchedOrNot_SameContentStaysEqual()
    {
        var entries = ImmutableDictionary.CreateRange(StringComparer.Ordinal, [KeyValuePair.Create("a", Entry("a", "spiffe://example.org/a", "unix:uid:1"))]);
        var start = new CacheSnapshot { TrustDomain = Domain };
        var matched = start with { Entries = entries };
        var fresh = start with { Entries = entries };

        Assert.Single(matched.Match(new HashSet<string>(StringComparer.Ordinal) { "unix:uid:1" }));

        Assert.Equal(fresh, matched);
        Assert.Equal(fresh.GetHashCode(), matched.GetHashCode());
    }

    [Fact]
    public async Task SnapshotMatch_ConcurrentFirstMatches_AllSeeTheSameEntries()
    {
        var entries = Enumerable.Range(0, 2000).Select(i => Entry($"e{i}", $"spiffe://example.org/w/{i}", $"unix:uid:{i % 10}")).ToArray();
        var snapshot = Snapshot(entries);
        var caller = new HashSet<string>(StringComparer.Ordinal) { "unix:uid:3" };

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => snapshot.Match(caller).Select(e => e.Id).ToList()))).WaitAsync(TimeSpan.FromSeconds(30));

        var expected = Scan(entries, caller).Select(e => e.Id).ToList();
        Assert.Equal(200, expected.Count);
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    private static CacheSnapshot Snapshot(params AgentEntry[] entries) =>
        new() { TrustDomain = Domain, Entries = entries.ToImmutableDictionary(e => e.Id, StringComparer.Ordinal) };

    private static AgentEntry Entry(string id, string spiffeId, params string[] selectors) => new()
    {
        Id = id,
        SpiffeId = SpiffeId.Parse(spiffeId),
        ParentId = SpiffeId.Parse("spiffe://example.org/agent"),
        Selectors = selectors,
    };
}
