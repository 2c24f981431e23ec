using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Datastore;

public abstract partial class DataStoreConformanceTests
{
    [Fact]
    public async Task CreateEntry_EveryField_RoundTrips()
    {
        var input = Entry("/web", selectors: ["unix:uid:1001", "k8s:ns:prod"]) with
        {
            DnsNames = ["web.example.org", "web"],
            Admin = true,
            Hint = "frontend",
            ExpiresAt = Clock.GetUtcNow().AddDays(30),
            Purpose = "serves the shop",
            FederatesWith = [TrustDomain.Parse("partner.test"), TrustDomain.Parse("other.test")],
        };

        var created = await Store.CreateEntryAsync(input, Ct);

        Assert.Equal(32, created.Id.Length);
        Assert.Equal(1, created.Revision);
        Assert.Equal(Clock.GetUtcNow(), created.CreatedAt);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        Assert.Equal(["k8s:ns:prod", "unix:uid:1001"], created.Selectors.Select(s => s.ToString()));
        var read = await Store.GetEntryAsync(created.Id, Ct);
        Assert.Equal(created, read, EntryComparer.Instance);
        Assert.Equal(["web.example.org", "web"], read!.DnsNames);
        Assert.True(read.Admin);
        Assert.Equal("frontend", read.Hint);
        Assert.Equal("serves the shop", read.Purpose);
        Assert.Equal(["partner.test", "other.test"], read.FederatesWith.Select(td => td.Name));
        Assert.Equal(TimeSpan.FromHours(1), read.X509SvidTtl);
        Assert.Equal(TimeSpan.FromMinutes(5), read.JwtSvidTtl);
    }

    [Fact]
    public async Task GetEntry_Unknown_ReturnsNull() =>
        Assert.Null(await Store.GetEntryAsync("no-such-entry", Ct));

    [Fact]
    public async Task CreateEntry_SameIdParentAndSelectorSet_ThrowsDuplicateConflict()
    {
        await Store.CreateEntryAsync(Entry("/web", selectors: ["unix:uid:1", "unix:gid:2"]), Ct);

        // Same set in another order (and repeated) is the same identity.
        var exception = await Assert.ThrowsAsync<DataStoreConflictException>(() =>
            Store.CreateEntryAsync(Entry("/web", selectors: ["unix:gid:2", "unix:uid:1", "unix:gid:2"]), Ct));

        Assert.Equal(DataStoreConflict.DuplicateEntry, exception.Conflict);
        Assert.Equal("an entry with the same SPIFFE ID, parent ID and selectors already exists", exception.Message);
        // Differing in any one part is a different entry.
        await Store.CreateEntryAsync(Entry("/web", parent: "/other", selectors: ["unix:uid:1", "unix:gid:2"]), Ct);
        await Store.CreateEntryAsync(Entry("/web", selectors: ["unix:uid:1"]), Ct);
        await Store.CreateEntryAsync(Entry("/web2", selectors: ["unix:uid:1", "unix:gid:2"]), Ct);
        Assert.Equal(4, await Store.CountEntriesAsync(EntryFilter.All, Ct));
    }

    [Fact]
    public async Task CreateEntries_AllValid_WritesAllInOrder()
    {
        var created = await Store.CreateEntriesAsync([Entry("/a"), Entry("/b"), Entry("/c")], Ct);

        Assert.Equal(["spiffe://example.org/a", "spiffe://example.org/b", "spiffe://example.org/c"], created.Select(e => e.SpiffeId.ToString()));
        Assert.Equal(3, await Store.CountEntriesAsync(EntryFilter.All, Ct));
    }

    [Fact]
    public async Task CreateEntries_OneDuplicate_WritesNone()
    {
        await Store.CreateEntryAsync(Entry("/existing"), Ct);

        var inBatch = await Assert.ThrowsAsync<DataStoreConflictException>(() =>
            Store.CreateEntriesAsync([Entry("/a"), Entry("/b"), Entry("/a")], Ct));
        var withStored = await Assert.ThrowsAsync<DataStoreConflictException>(() =>
            Store.CreateEntriesAsync([Entry("/c"), Entry("/existing")], Ct));

        Assert.Equal(DataStoreConflict.DuplicateEntry, inBatch.Conflict);
        Assert.Equal(DataStoreConflict.DuplicateEntry, withStored.Conflict);
        var page = await Store.ListEntriesAsync(EntryFilter.All, 100, null, Ct);
        Assert.Equal(["spiffe://example.org/existing"], page.Entries.Select(e => e.SpiffeId.ToString()));
    }

    [Fact]
    public async Task UpdateEntry_CurrentRevision_ReplacesFieldsAndSelectors()
    {
        var created = await Store.CreateEntryAsync(Entry("/web", selectors: ["unix:uid:1"]), Ct);
        Clock.Advance(TimeSpan.FromMinutes(3));

        var updated = await Store.UpdateEntryAsync(created with { Selectors = [Sel("unix:uid:2")], Owner = "team-b", Hint = "h" }, Ct);

        Assert.NotNull(updated);
        Assert.Equal(2, updated.Revision);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal(Clock.GetUtcNow(), updated.UpdatedAt);
        Assert.Equal("team-b", updated.Owner);
        Assert.Equal(updated, await Store.GetEntryAsync(created.Id, Ct), EntryComparer.Instance);
        var bySelector = new EntryFilter { Selectors = [Sel("unix:uid:2")], SelectorMatch = SelectorMatch.Any };
        Assert.Equal(1, await Store.CountEntriesAsync(bySelector, Ct));
        Assert.Equal(0, await Store.CountEntriesAsync(bySelector with { Selectors = [Sel("unix:uid:1")] }, Ct));
    }

    [Fact]
    public async Task UpdateEntry_StaleRevision_ThrowsRevisionConflictAndKeepsStored()
    {
        var created = await Store.CreateEntryAsync(Entry("/web"), Ct);
        var first = await Store.UpdateEntryAsync(created with { Hint = "first" }, Ct);

        var exception = await Assert.ThrowsAsync<DataStoreConflictException>(() =>
            Store.UpdateEntryAsync(created with { Hint = "second" }, Ct));

        Assert.Equal(DataStoreConflict.Revision, exception.Conflict);
        Assert.Equal($"entry {created.Id} is at revision 2, not 1: read it again and retry", exception.Message);
        Assert.Equal(first, await Store.GetEntryAsync(created.Id, Ct), EntryComparer.Instance);
    }

    [Fact]
    public async Task UpdateEntry_Unknown_ReturnsNull() =>
        Assert.Null(await Store.UpdateEntryAsync(Entry("/web") with { Id = "no-such-entry", Revision = 1 }, Ct));

    [Fact]
    public async Task UpdateEntry_IntoAnotherEntrysIdentity_ThrowsDuplicateConflict()
    {
        await Store.CreateEntryAsync(Entry("/a"), Ct);
        var b = await Store.CreateEntryAsync(Entry("/b"), Ct);

        var exception = await Assert.ThrowsAsync<DataStoreConflictException>(() =>
            Store.UpdateEntryAsync(b with { SpiffeId = Id("/a") }, Ct));

        Assert.Equal(DataStoreConflict.DuplicateEntry, exception.Conflict);
        Assert.Equal(b, await Store.GetEntryAsync(b.Id, Ct), EntryComparer.Instance);
    }

    [Fact]
    public async Task DeleteEntry_Existing_RemovesItAndItsSelectors()
    {
        var created = await Store.CreateEntryAsync(Entry("/web", selectors: ["unix:uid:7"]), Ct);

        Assert.True(await Store.DeleteEntryAsync(created.Id, Ct));
        Assert.False(await Store.DeleteEntryAsync(created.Id, Ct));

        Assert.Null(await Store.GetEntryAsync(created.Id, Ct));
        Assert.Equal(0, await Store.CountEntriesAsync(new EntryFilter { Selectors = [Sel("unix:uid:7")], SelectorMatch = SelectorMatch.Any }, Ct));
        // Foreign keys are on: the selector rows went with the entry (ON DELETE CASCADE).
        Assert.Equal(0, await RawCountAsync("SELECT COUNT(*) FROM entry_selectors"));
        // The identity is free again.
        await Store.CreateEntryAsync(Entry("/web", selectors: ["unix:uid:7"]), Ct);
    }

    [Fact]
    public async Task CreateEntry_SameIdentityConcurrently_DatabaseLetsExactlyOneIn()
    {
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            try
            {
                await Store.CreateEntryAsync(Entry("/web", selectors: ["unix:uid:1"]), Ct);
                return true;
            }
            catch (DataStoreConflictException e) when (e.Conflict == DataStoreConflict.DuplicateEntry)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
        Assert.Equal(1, await Store.CountEntriesAsync(EntryFilter.All, Ct));
    }

    [Fact]
    public async Task ListEntries_EmptySelectorFilter_MatchesPerMode()
    {
        await Store.CreateEntryAsync(Entry("/web"), Ct);

        Assert.Equal(0, await Store.CountEntriesAsync(new EntryFilter { Selectors = [], SelectorMatch = SelectorMatch.Any }, Ct));
        Assert.Equal(1, await Store.CountEntriesAsync(new EntryFilter { Selectors = [], SelectorMatch = SelectorMatch.Superset }, Ct));
        Assert.Equal(0, await Store.CountEntriesAsync(new EntryFilter { Selectors = [], SelectorMatch = SelectorMatch.Subset }, Ct));
        Assert.Equal(0, await Store.CountEntriesAsync(new EntryFilter { Selectors = [], SelectorMatch = SelectorMatch.Exact }, Ct));
    }
}
