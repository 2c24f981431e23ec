using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Internal;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Datastore;

/// <summary>
/// The behaviour every <see cref="IDataStore"/> must have. Each implementation subclasses this once;
/// the facts live in partial files by feature. Every await is time-boxed by <see cref="Ct"/>.
/// </summary>
public abstract partial class DataStoreConformanceTests : IAsyncLifetime, IDisposable
{
    private static readonly TrustDomain Td = TrustDomain.Parse("example.org");
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private IDataStore? _store;

    private protected ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private protected CancellationToken Ct => _timeout.Token;

    private protected IDataStore Store => _store ?? throw new InvalidOperationException("store not opened");

    public virtual async Task InitializeAsync() => _store = await OpenAsync();

    public virtual async Task DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    public void Dispose()
    {
        _timeout.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Opens a store over this test's database (the same one each call).</summary>
    private protected abstract Task<IDataStore> OpenAsync();

    /// <summary>Opens a store whose database cannot be reached.</summary>
    private protected abstract Task<IDataStore> OpenUnreachableAsync();

    /// <summary>Runs a scalar query on the raw database, bypassing the store (to check what is really stored).</summary>
    private protected abstract Task<long> RawCountAsync(string sql);

    /// <summary>Closes the current store and opens a new one over the same database.</summary>
    private protected async Task ReopenAsync()
    {
        await Store.DisposeAsync();
        _store = null;
        _store = await OpenAsync();
    }

    private protected static SpiffeId Id(string path) => SpiffeId.FromPath(Td, path);

    private protected static Selector Sel(string selector)
    {
        var colon = selector.IndexOf(':', StringComparison.Ordinal);
        return new Selector(selector[..colon], selector[(colon + 1)..]);
    }

    private protected static RegistrationEntry Entry(string path, string parent = "/agent", string owner = "team-a", params string[] selectors) => new()
    {
        SpiffeId = Id(path),
        ParentId = Id(parent),
        Selectors = (selectors.Length == 0 ? ["unix:uid:1001"] : selectors).Select(Sel).ToList(),
        X509SvidTtl = TimeSpan.FromHours(1),
        JwtSvidTtl = TimeSpan.FromMinutes(5),
        Owner = owner,
    };

    [Fact]
    public async Task Migrate_RunTwice_AppliesNothingAndKeepsData()
    {
        var created = await Store.CreateEntryAsync(Entry("/web"), Ct);

        Assert.Equal(0, await ((SqlDataStore)Store).MigrateAsync(Ct));
        await ReopenAsync();
        Assert.Equal(0, await ((SqlDataStore)Store).MigrateAsync(Ct));

        Assert.Equal(Migrations.All.Count, await RawCountAsync("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(created, await Store.GetEntryAsync(created.Id, Ct), EntryComparer.Instance);
    }

    [Fact]
    public async Task Reopen_AfterWrites_EverythingSurvives()
    {
        var entry = await Store.CreateEntryAsync(Entry("/web"), Ct);
        await Store.CreateJoinTokenAsync("tok-survives", Id("/node"), Clock.GetUtcNow().AddHours(1), Ct);
        await Store.SetBundleAsync(TrustDomain.Parse("other.org"), """{"keys":[]}""", Ct);
        await Store.SaveKeyJournalAsync("x509-ca", new byte[] { 1, 2, 3 }, 0, Ct);

        await ReopenAsync();

        Assert.Equal(entry, await Store.GetEntryAsync(entry.Id, Ct), EntryComparer.Instance);
        Assert.NotNull(await Store.ConsumeJoinTokenAsync("tok-survives", Ct));
        Assert.Equal(1, (await Store.GetBundleAsync(TrustDomain.Parse("other.org"), Ct))!.Sequence);
        Assert.Equal(new byte[] { 1, 2, 3 }, (await Store.GetKeyJournalAsync("x509-ca", Ct))!.Data.ToArray());
    }

    [Fact]
    public async Task Open_Unreachable_ThrowsDataStoreUnavailableWithClearMessage()
    {
        var exception = await Assert.ThrowsAsync<DataStoreUnavailableException>(OpenUnreachableAsync);
        Assert.Contains("is unavailable", exception.Message, StringComparison.Ordinal);
        AssertUnreachableMessage(exception.Message);
    }

    /// <summary>Checks the implementation-specific part of the unreachable message (where it was trying to go).</summary>
    private protected abstract void AssertUnreachableMessage(string message);
}
