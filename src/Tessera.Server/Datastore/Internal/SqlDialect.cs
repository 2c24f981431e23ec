using System.Data.Common;

namespace Tessera.Server.Datastore.Internal;

/// <summary>What differs between the SQL databases behind <see cref="SqlDataStore"/>.</summary>
internal abstract class SqlDialect
{
    /// <summary>Names the database for error messages, without secrets (e.g. "PostgreSQL database 'x' at host:5432").</summary>
    public abstract string Description { get; }

    /// <summary>Column type for opaque bytes.</summary>
    public abstract string BlobType { get; }

    /// <summary>Collation clause for key columns, so ordering is by code point on every database.</summary>
    public abstract string BinaryCollation { get; }

    /// <summary>SQL run first in the migration transaction so concurrent start-ups migrate one at a time, or null.</summary>
    public abstract string? MigrationLockSql { get; }

    /// <summary>
    /// SQL run in a transaction before it reads the audit tail to append after it, so appenders take turns until
    /// commit; null when every write transaction is already exclusive (SQLite).
    /// </summary>
    public abstract string? AuditLockSql { get; }

    /// <summary>Opens a connection ready for use (per-connection settings applied).</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Prepares the database once before migrations (e.g. journal mode).</summary>
    public virtual Task InitializeAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>True when the exception is a unique-constraint violation.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>True when the exception means the database cannot be reached or is busy.</summary>
    public abstract bool IsUnavailable(Exception exception);

    /// <summary>Releases pooled connections.</summary>
    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
