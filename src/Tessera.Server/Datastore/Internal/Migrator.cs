using System.Data.Common;

namespace Tessera.Server.Datastore.Internal;

/// <summary>Applies pending <see cref="Migrations"/>, each in its own transaction with its row in <c>schema_migrations</c>.</summary>
internal static class Migrator
{
    public static async Task<int> MigrateAsync(DbConnection connection, SqlDialect dialect, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            // Under the lock too: PostgreSQL's CREATE TABLE IF NOT EXISTS can still collide with a concurrent one.
            await LockAsync(connection, transaction, dialect, cancellationToken).ConfigureAwait(false);
            await SqlCommands.ExecuteAsync(connection, transaction, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at BIGINT NOT NULL
                )
                """, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var applied = 0;
        foreach (var migration in Migrations.All)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await LockAsync(connection, transaction, dialect, cancellationToken).ConfigureAwait(false);

            // Checked inside the transaction (after the lock) so two servers starting together apply it once.
            var done = await SqlCommands.ScalarAsync(connection, transaction,
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @v", cancellationToken, ("@v", migration.Version)).ConfigureAwait(false);
            if (Convert.ToInt64(done, System.Globalization.CultureInfo.InvariantCulture) > 0)
            {
                continue;
            }

            await SqlCommands.ExecuteAsync(connection, transaction, migration.SqlFor(dialect), cancellationToken).ConfigureAwait(false);
            await SqlCommands.ExecuteAsync(connection, transaction,
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)", cancellationToken,
                ("@v", migration.Version), ("@n", migration.Name), ("@t", SqlCommands.ToUnixMs(timeProvider.GetUtcNow()))).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied++;
        }

        return applied;
    }

    private static async Task LockAsync(DbConnection connection, DbTransaction transaction, SqlDialect dialect, CancellationToken cancellationToken)
    {
        if (dialect.MigrationLockSql is { } lockSql)
        {
            await SqlCommands.ExecuteAsync(connection, transaction, lockSql, cancellationToken).ConfigureAwait(false);
        }
    }
}
