using Tessera.Server.Datastore.Internal;

namespace Tessera.Server.Datastore.Sqlite;

/// <summary>Opens the embedded SQLite datastore (the default).</summary>
internal static class SqliteDataStore
{
    /// <summary>Opens (creating if needed) the database file at <paramref name="path"/> and applies pending migrations.</summary>
    public static async Task<IDataStore> OpenAsync(string path, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        return await SqlDataStore.OpenAsync(new SqliteDialect(path), timeProvider, cancellationToken).ConfigureAwait(false);
    }
}
