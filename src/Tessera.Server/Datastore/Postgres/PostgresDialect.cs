using System.Data.Common;
using System.Net.Sockets;
using Npgsql;
using Tessera.Server.Datastore.Internal;

namespace Tessera.Server.Datastore.Postgres;

/// <summary>PostgreSQL specifics through one pooled <see cref="NpgsqlDataSource"/>.</summary>
internal sealed class PostgresDialect : SqlDialect
{
    // Arbitrary constant naming Tessera's migration lock (pg_advisory_xact_lock is released at commit).
    private const long MigrationLockKey = 0x7E55E4A;

    // Arbitrary constant naming the audit-tail lock, held by an appending transaction until it commits.
    private const long AuditLockKey = 0x7E55A0D;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresDialect(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        Description = Describe(builder);
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public override string Description { get; }

    /// <summary>Names the database by host and name only: the connection string may hold a password, which must not reach messages.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return $"PostgreSQL database '{builder.Database}' at {builder.Host}:{builder.Port}";
    }

    public override string BlobType => "BYTEA";

    public override string BinaryCollation => "COLLATE \"C\"";

    public override string? MigrationLockSql => $"SELECT pg_advisory_xact_lock({MigrationLockKey})";

    public override string? AuditLockSql => $"SELECT pg_advisory_xact_lock({AuditLockKey})";

    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsUnavailable(Exception exception) => exception switch
    {
        // Class 08 connection exceptions, 57P admin shutdown / cannot connect now, 53 insufficient resources.
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) ||
                                      postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) ||
                                      postgres.SqlState.StartsWith("53", StringComparison.Ordinal),
        // Any other NpgsqlException is client-side: connection refused, broken stream, timeout.
        NpgsqlException or SocketException or TimeoutException => true,
        _ => false,
    };

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
