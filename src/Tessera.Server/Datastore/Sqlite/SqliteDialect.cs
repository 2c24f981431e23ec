using System.Data.Common;
using Microsoft.Data.Sqlite;
using Tessera.Server.Datastore.Internal;

namespace Tessera.Server.Datastore.Sqlite;

/// <summary>SQLite specifics: WAL journal, foreign keys and a busy timeout on every pooled connection.</summary>
internal sealed class SqliteDialect : SqlDialect
{
    // SQLite primary result codes (https://www.sqlite.org/rescode.html).
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoError = 10;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    private readonly string _path;
    private readonly string _connectionString;

    public SqliteDialect(string path)
    {
        _path = Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = _path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            // Also set by PRAGMA on open; stated here so no SQLite build's default can turn them off.
            ForeignKeys = true,
            // Seconds a command waits on a locked database before failing (Microsoft.Data.Sqlite retries SQLITE_BUSY).
            DefaultTimeout = 30,
        }.ToString();
    }

    public override string Description => $"SQLite database '{_path}'";

    public override string BlobType => "BLOB";

    public override string BinaryCollation => string.Empty;

    // BeginTransaction is BEGIN IMMEDIATE in Microsoft.Data.Sqlite: the write lock already serialises migrations.
    public override string? MigrationLockSql => null;

    // The same write lock serialises audit appenders: the tail read in a transaction cannot move before commit.
    public override string? AuditLockSql => null;

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            // Per-connection settings: foreign keys are off by default in SQLite, and busy_timeout makes a
            // writer wait for another instead of failing at once.
            await SqlCommands.ExecuteAsync(connection, null, "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;", cancellationToken)
                .ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // WAL persists in the file: readers never block the writer, and a crash loses no committed transaction.
    public override Task InitializeAsync(DbConnection connection, CancellationToken cancellationToken) =>
        SqlCommands.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL;", cancellationToken);

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteConstraint } sqlite &&
        sqlite.SqliteExtendedErrorCode is SqliteConstraintUnique or SqliteConstraintPrimaryKey;

    public override bool IsUnavailable(Exception exception) =>
        exception is SqliteException
        {
            SqliteErrorCode: SqliteBusy or SqliteLocked or SqliteReadOnly or SqliteIoError or SqliteFull or SqliteCantOpen,
        };

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the store can be reopened or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}
