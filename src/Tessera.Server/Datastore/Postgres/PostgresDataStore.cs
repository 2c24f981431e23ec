using Tessera.Server.Datastore.Internal;

namespace Tessera.Server.Datastore.Postgres;

/// <summary>Opens a PostgreSQL datastore from an Npgsql connection string.</summary>
internal static class PostgresDataStore
{
    /// <summary>Connects, applies pending migrations and returns the store.</summary>
    /// <exception cref="DataStoreUnavailableException">The server cannot be reached.</exception>
    public static async Task<IDataStore> OpenAsync(string connectionString, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return await SqlDataStore.OpenAsync(new PostgresDialect(connectionString), timeProvider, cancellationToken).ConfigureAwait(false);
    }
}
