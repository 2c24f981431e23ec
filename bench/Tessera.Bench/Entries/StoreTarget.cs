using System.Globalization;
using Npgsql;
using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Postgres;
using Tessera.Server.Datastore.Sqlite;

namespace Tessera.Bench.Entries;

/// <summary>A datastore under test: how to open it, how big it is on disk, and how to clean up.</summary>
internal sealed class StoreTarget
{
    private readonly string? _sqliteDirectory;
    private readonly string? _postgres;

    private StoreTarget(string name, string? sqliteDirectory, string? postgres)
    {
        Name = name;
        _sqliteDirectory = sqliteDirectory;
        _postgres = postgres;
    }

    public string Name { get; }

    public static StoreTarget Sqlite() =>
        new("SQLite", Directory.CreateTempSubdirectory("tessera-bench-").FullName, null);

    public static StoreTarget Postgres(string connectionString) => new("PostgreSQL", null, connectionString);

    public Task<IDataStore> OpenAsync(CancellationToken cancellationToken) => _sqliteDirectory is not null
        ? SqliteDataStore.OpenAsync(Path.Combine(_sqliteDirectory, "tessera.db"), TimeProvider.System, cancellationToken)
        : PostgresDataStore.OpenAsync(_postgres!, TimeProvider.System, cancellationToken);

    /// <summary>Bytes on disk: the SQLite file with its WAL, or <c>pg_database_size</c>.</summary>
    public async Task<long> SizeAsync(CancellationToken cancellationToken)
    {
        if (_sqliteDirectory is not null)
        {
            return new DirectoryInfo(_sqliteDirectory).EnumerateFiles("tessera.db*").Sum(f => f.Length);
        }

        var connection = new NpgsqlConnection(_postgres);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            var command = new NpgsqlCommand("SELECT pg_database_size(current_database())", connection);
            await using (command.ConfigureAwait(false))
            {
                return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
            }
        }
    }

    public void CleanUp()
    {
        if (_sqliteDirectory is not null)
        {
            // Pooled SQLite connections keep the file open until the pool is cleared.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(_sqliteDirectory, recursive: true);
        }
    }
}
