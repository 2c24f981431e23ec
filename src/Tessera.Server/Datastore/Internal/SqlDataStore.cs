using System.Data.Common;

namespace Tessera.Server.Datastore.Internal;

/// <summary>
/// The SQL implementation of <see cref="IDataStore"/>, shared by SQLite and PostgreSQL through
/// <see cref="SqlDialect"/>. One pooled connection per operation; every multi-statement write is a transaction.
/// </summary>
internal sealed partial class SqlDataStore : IDataStore
{
    private readonly SqlDialect _dialect;
    private readonly TimeProvider _timeProvider;

    private SqlDataStore(SqlDialect dialect, TimeProvider timeProvider)
    {
        _dialect = dialect;
        _timeProvider = timeProvider;
    }

    /// <summary>Opens the store and applies pending migrations.</summary>
    public static async Task<SqlDataStore> OpenAsync(SqlDialect dialect, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var store = new SqlDataStore(dialect, timeProvider);
        try
        {
            await store.RunAsync(async connection =>
            {
                await dialect.InitializeAsync(connection, cancellationToken).ConfigureAwait(false);
                return await Migrator.MigrateAsync(connection, dialect, timeProvider, cancellationToken).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await dialect.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return store;
    }

    /// <summary>Applies pending migrations again (a no-op when up to date); returns how many ran.</summary>
    public Task<int> MigrateAsync(CancellationToken cancellationToken) =>
        RunAsync(connection => Migrator.MigrateAsync(connection, _dialect, _timeProvider, cancellationToken), cancellationToken);

    public ValueTask DisposeAsync() => _dialect.DisposeAsync();

    public Task<T> WriteAsync<T>(Func<IDataStoreTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return InTransactionAsync((connection, transaction) => work(new SqlDataStoreTransaction(this, connection, transaction), cancellationToken), cancellationToken);
    }

    private async Task<T> RunAsync<T>(Func<DbConnection, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await operation(connection).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException && _dialect.IsUnavailable(exception))
        {
            throw new DataStoreUnavailableException($"{_dialect.Description} is unavailable: {exception.Message}", exception);
        }
    }

    private Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> operation, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var result = await operation(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
        }, cancellationToken);

    private DateTimeOffset Now() => SqlCommands.Truncate(_timeProvider.GetUtcNow());
}
