using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Server.Audit;
using Tessera.Server.Datastore.Sqlite;
using Tessera.Server.Federation;
using Tessera.Server.NodeApi;
using Tessera.Server.Tests.Audit;
using IDataStore = Tessera.Server.Datastore.IDataStore;

namespace Tessera.Server.Tests.Federation;

/// <summary>
/// A real SQLite datastore in a temp directory with an inspectable audit store on top: a refresher writes the
/// bundle and its audit record in one datastore transaction, so a fake bundle store would not see the write.
/// </summary>
internal sealed class FederationStore : IAsyncDisposable
{
    private readonly TempDirectory _dir;

    private FederationStore(TempDirectory dir, IDataStore store, InMemoryAuditStore audit)
    {
        _dir = dir;
        Store = store;
        Audit = audit;
    }

    public IDataStore Store { get; }

    public InMemoryAuditStore Audit { get; }

    public static async Task<FederationStore> OpenAsync()
    {
        var dir = new TempDirectory();
        var store = await SqliteDataStore.OpenAsync(Path.Combine(dir.Path, "store.sqlite3"), TimeProvider.System, CancellationToken.None);
        return new FederationStore(dir, store, new InMemoryAuditStore { DataStore = store });
    }

    /// <summary>A refresher over this store.</summary>
    public FederatedBundleRefresher Refresher(IBundleEndpointClient client, ChangeFeed changes, TimeProvider time) =>
        new(Store, client, new AuditLog(Audit), changes, time, NullLogger<FederatedBundleRefresher>.Instance);

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        _dir.Dispose();
    }
}
