using Tessera.Server.Datastore;

namespace Tessera.Server.Tests.Datastore;

public abstract partial class DataStoreConformanceTests
{
    [Fact]
    public async Task ListEntries_ByIdParentAndOwner_ReturnsOnlyMatches()
    {
        await Store.CreateEntriesAsync(
        [
            Entry("/web", parent: "/node1", owner: "shop"),
            Entry("/web", parent: "/node2", owner: "shop"),
            Entry("/db", parent: "/node1", owner: "data"),
        ], Ct);

        Assert.Equal(2, await Store.CountEntriesAsync(new EntryFilter { SpiffeId = Id("/web") }, Ct));
        Assert.Equal(2, await Store.CountEntriesAsync(new EntryFilter { ParentId = Id("/node1") }, Ct));
        Assert.Equal(1, await Store.CountEntriesAsync(new EntryFilter { Owner = "data" }, Ct));
        Assert.Equal(0, await Store.CountEntriesAsync(new EntryFilter { Owner = "nobody" }, Ct));
        var both = await Store.ListEntriesAsync(new EntryFilter { SpiffeId = Id("/web"), ParentId = Id("/node2") }, 10, null, Ct);
        Assert.Equal("spiffe://example.org/node2", Assert.Single(both.Entries).ParentId.ToString());
        Assert.Null(both.NextPageToken);
    }

    // The mode is passed by name: SelectorMatch is internal, and a public test method cannot take it.
    [Theory]
    [InlineData("Exact", "/ab")]
    [InlineData("Subset", "/a,/ab")]
    [InlineData("Superset", "/ab,/abc")]
    [InlineData("Any", "/a,/ab,/abc")]
    public async Task ListEntries_SelectorMatchMode_ReturnsSpireSemantics(string mode, string expected)
    {
        await Store.CreateEntriesAsync(
        [
            Entry("/a", selectors: ["t:a"]),
            Entry("/ab", selectors: ["t:a", "t:b"]),
            Entry("/abc", selectors: ["t:a", "t:b", "t:c"]),
            Entry("/d", selectors: ["t:d"]),
        ], Ct);
        var filter = new EntryFilter { Selectors = [Sel("t:b"), Sel("t:a")], SelectorMatch = Enum.Parse<SelectorMatch>(mode) };

        var page = await Store.ListEntriesAsync(filter, 10, null, Ct);

        Assert.Equal(expected.Split(','), page.Entries.Select(e => e.SpiffeId.Path).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Split(',').Length, await Store.CountEntriesAsync(filter, Ct));
    }

    [Fact]
    public async Task ListEntries_PageByPage_VisitsEveryMatchOnce()
    {
        var all = await Store.CreateEntriesAsync(
            Enumerable.Range(0, 7).Select(i => Entry($"/w{i}", owner: i % 2 == 0 ? "even" : "odd")).ToList(), Ct);

        var seen = new List<string>();
        var sizes = new List<int>();
        string? token = null;
        do
        {
            var page = await Store.ListEntriesAsync(EntryFilter.All, 3, token, Ct);
            seen.AddRange(page.Entries.Select(e => e.Id));
            sizes.Add(page.Entries.Count);
            token = page.NextPageToken;
        }
        while (token is not null);

        Assert.Equal([3, 3, 1], sizes);
        Assert.Equal(all.Select(e => e.Id).Order(StringComparer.Ordinal), seen);
        var evens = await Store.ListEntriesAsync(new EntryFilter { Owner = "even" }, 4, null, Ct);
        Assert.Equal(4, evens.Entries.Count);
        Assert.Null(evens.NextPageToken);
    }

    [Fact]
    public async Task ListEntries_ForeignPageToken_ThrowsArgumentException()
    {
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => Store.ListEntriesAsync(EntryFilter.All, 10, "!!not-base64!!", Ct));
        Assert.StartsWith("page token '!!not-base64!!' is not one this server issued", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task ListEntries_PageSizeOutOfRange_Throws(int pageSize) =>
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListEntriesAsync(EntryFilter.All, pageSize, null, Ct));
}
