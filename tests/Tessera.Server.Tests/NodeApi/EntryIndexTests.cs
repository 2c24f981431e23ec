using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Sqlite;
using Tessera.Server.NodeApi;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.NodeApi;

/// <summary>The authorised-entry walk over a real SQLite store.</summary>
public sealed class EntryIndexTests : IAsyncLifetime, IDisposable
{
    private static readonly SpiffeId Agent = SpiffeId.Parse("spiffe://example.org/tessera/agent/a");
    private readonly TempDirectory _dir = new();
    private readonly ChangeFeed _changes = new();
    private IDataStore _store = null!;

    public async Task InitializeAsync() => _store = await SqliteDataStore.OpenAsync(_dir.File("s.db"), TimeProvider.System, CancellationToken.None);

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AuthorisedFor_CycleBetweenEntries_WalkEndsAndHoldsEachEntryOnce()
    {
        var a = await CreateAsync("/a", Agent);
        var b = await CreateAsync("/b", a.SpiffeId);
        var back = await CreateAsync(Agent.Path, b.SpiffeId); // an entry naming the agent's own ID under its descendant
        using var index = new EntryIndex(_store, _changes);

        var set = (await index.GetAsync(CancellationToken.None)).AuthorisedFor(Agent);

        Assert.Equal(new[] { a.Id, b.Id, back.Id }.Order(StringComparer.Ordinal), set.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task GetAsync_AfterSignal_Rebuilt()
    {
        using var index = new EntryIndex(_store, _changes);
        var before = await index.GetAsync(CancellationToken.None);
        var created = await CreateAsync("/late", Agent);

        var unchanged = await index.GetAsync(CancellationToken.None);
        _changes.Signal();
        var rebuilt = await index.GetAsync(CancellationToken.None);

        Assert.Same(before, unchanged);
        Assert.Empty(unchanged.AuthorisedFor(Agent));
        Assert.Equal([created.Id], rebuilt.AuthorisedFor(Agent).Keys);
    }

    private Task<RegistrationEntry> CreateAsync(string path, SpiffeId parent) => _store.CreateEntryAsync(new RegistrationEntry
    {
        SpiffeId = SpiffeId.Parse($"spiffe://example.org{path}"),
        ParentId = parent,
        Selectors = [new Selector("unix", "uid:1")],
        Owner = "t",
    }, CancellationToken.None);
}
