using Microsoft.Data.Sqlite;
using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Sqlite;

namespace Tessera.Server.Tests.Datastore;

/// <summary>The conformance suite against SQLite, one temp database file per test.</summary>
public sealed class SqliteDataStoreTests : DataStoreConformanceTests
{
    private readonly TempDirectory _directory = new();

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }

    private protected override Task<IDataStore> OpenAsync() =>
        SqliteDataStore.OpenAsync(_directory.File("data/tessera.db"), Clock, Ct);

    // A directory where the database file should be: SQLite cannot open it.
    private protected override Task<IDataStore> OpenUnreachableAsync() =>
        SqliteDataStore.OpenAsync(Directory.CreateDirectory(_directory.File("a-directory")).FullName, Clock, Ct);

    private protected override void AssertUnreachableMessage(string message) =>
        Assert.StartsWith($"SQLite database '{_directory.File("a-directory")}' is unavailable: ", message, StringComparison.Ordinal);

    private protected override async Task<long> RawCountAsync(string sql)
    {
        // A separate unpooled connection, so the check does not depend on the store's own connections.
        await using var connection = new SqliteConnection($"Data Source={_directory.File("data/tessera.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = new SqliteCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Open_NewFile_UsesWriteAheadLog()
    {
        await Store.CreateEntryAsync(Entry("/web"), Ct);

        Assert.True(File.Exists(_directory.File("data/tessera.db-wal")));
    }
}
