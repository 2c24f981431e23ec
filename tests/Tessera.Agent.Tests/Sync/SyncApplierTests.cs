using Tessera.Agent.Cache;
using Tessera.Agent.Sync;
using Tessera.Agent.Tests.Fakes;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Tests.Sync;

public sealed class SyncApplierTests
{
    private static readonly CacheSnapshot Empty = new() { TrustDomain = TrustDomain.Parse("example.org") };

    [Fact]
    public void Apply_FullThenDelta_ReplacesThenUpsertsAndDeletes()
    {
        var problems = new List<string>();
        var first = SyncApplier.Apply(Empty, new SyncResponse { Full = true, Entries = { Entries.Make("a"), Entries.Make("b") } }, problems);
        Assert.True(first.Synced);
        Assert.Equal(["a", "b"], first.Entries.Keys.Order());

        var second = SyncApplier.Apply(first, new SyncResponse { Entries = { Entries.Make("c"), Entries.Make("a", revision: 2) }, DeletedEntryIds = { "b" } }, problems);
        Assert.Equal(["a", "c"], second.Entries.Keys.Order());
        Assert.Equal(2, second.Entries["a"].Revision);

        var full = SyncApplier.Apply(second, new SyncResponse { Full = true, Entries = { Entries.Make("z") } }, problems);
        Assert.Equal(["z"], full.Entries.Keys);
        Assert.Empty(problems);
    }

    [Fact]
    public void Apply_MalformedEntry_SkippedWithReason()
    {
        var problems = new List<string>();
        var bad = Entries.Make("bad", spiffeId: "spiffe://example.org");
        var snapshot = SyncApplier.Apply(Empty, new SyncResponse { Full = true, Entries = { bad, Entries.Make("good") } }, problems);

        Assert.Equal(["good"], snapshot.Entries.Keys);
        Assert.Equal(["entry bad: spiffe_id: has no path"], problems);
    }
}
