using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Audit;
using Tessera.Server.Configuration;
using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Postgres;
using Tessera.Server.Datastore.Sqlite;
using Tessera.Server.Registration;

namespace Tessera.Server.Hosting;

/// <summary>Opens the configured datastore and registers the services that stand on it.</summary>
internal static class ServerComposition
{
    /// <summary>Opens (and migrates) the datastore: SQLite in the data directory by default, PostgreSQL when configured.</summary>
    public static Task<IDataStore> OpenDataStoreAsync(ServerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        Directory.CreateDirectory(options.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return options.Datastore == "postgres"
            ? PostgresDataStore.OpenAsync(options.DatastoreConnectionString!, time, cancellationToken)
            : SqliteDataStore.OpenAsync(Path.Combine(options.DataDir, "datastore.sqlite3"), time, cancellationToken);
    }

    public static Action<IServiceCollection> Configure(IDataStore store) => services =>
    {
        services.AddSingleton(store);
        services.AddSingleton<Audit.IAuditStore>(new DatastoreAuditStore(store));
        services.AddSingleton<EntryValidator>();
        services.AddHostedService<ReadinessMarker>();
    };
}
