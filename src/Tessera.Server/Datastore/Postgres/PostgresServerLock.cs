using Microsoft.Extensions.Logging;
using Npgsql;
using Tessera.Server.Hosting;

namespace Tessera.Server.Datastore.Postgres;

/// <summary>
/// A session-level PostgreSQL advisory lock naming the database and schema, held on a dedicated unpooled connection
/// for the life of the server: one server per datastore (the CA's journal is shared, its keys are not). Taken before
/// migrations and the CA load, so a second server pointed at the same database changes nothing. If the connection
/// drops (a PostgreSQL restart releases the lock), it is re-taken as soon as the database answers again; should
/// another server have taken it meanwhile, that is logged as an error every time it is found.
/// </summary>
internal sealed partial class PostgresServerLock : IAsyncDisposable
{
    /// <summary>How often the lock's connection is checked.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(10);

    // The key names the database and schema, so servers of different trust domains may share one cluster.
    private const string TryLockSql = "SELECT pg_try_advisory_lock(hashtextextended('tessera-server:' || current_database() || ':' || current_schema(), 0))";

    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly string _description;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private NpgsqlConnection _connection;
    private Task _watch = Task.CompletedTask;

    private PostgresServerLock(NpgsqlConnectionStringBuilder builder, string description, NpgsqlConnection connection, TimeProvider time, ILogger logger)
    {
        _builder = builder;
        _description = description;
        _connection = connection;
        _time = time;
        _logger = logger;
    }

    /// <summary>Takes the lock, or explains who holds it.</summary>
    /// <exception cref="ServerAlreadyRunningException">Another server holds the lock.</exception>
    /// <exception cref="DataStoreUnavailableException">PostgreSQL cannot be reached.</exception>
    public static async Task<PostgresServerLock> AcquireAsync(string connectionString, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);

        // Unpooled: a pooled connection would go back to the pool with the session lock still held.
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        var description = PostgresDialect.Describe(builder);
        var connection = await TryLockAsync(builder, description, cancellationToken).ConfigureAwait(false)
            ?? throw new ServerAlreadyRunningException($"datastore: another Tessera server is using {description} (it holds the server lock); one server per datastore — stop it or use another database or schema");
        var held = new PostgresServerLock(builder, description, connection, time, logger);
        held._watch = held.WatchAsync(held._stop.Token);
        return held;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _connection.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    // Returns the open connection holding the lock, or null when another session holds it.
    private static async Task<NpgsqlConnection?> TryLockAsync(NpgsqlConnectionStringBuilder builder, string description, CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(TryLockSql, connection);
            if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is true)
            {
                return connection;
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new DataStoreUnavailableException($"{description} is unavailable: {ex.Message}", ex);
        }
    }

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, _time);
        var lost = false;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!lost && await IsAliveAsync(cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (!lost)
            {
                lost = true;
                Log.LockConnectionLost(_logger, _description);
            }

            try
            {
                if (await TryLockAsync(_builder, _description, cancellationToken).ConfigureAwait(false) is { } connection)
                {
                    await _connection.DisposeAsync().ConfigureAwait(false);
                    _connection = connection;
                    lost = false;
                    Log.LockRetaken(_logger, _description);
                }
                else
                {
                    Log.LockTakenByAnother(_logger, _description);
                }
            }
            catch (DataStoreUnavailableException)
            {
                // Still down: try again at the next check.
            }
        }
    }

    private async Task<bool> IsAliveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT 1", _connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or System.Net.Sockets.SocketException or TimeoutException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3401, Level = LogLevel.Warning, Message = "the server lock's connection to {Datastore} was lost; re-taking the lock when it answers")]
        public static partial void LockConnectionLost(ILogger logger, string datastore);

        [LoggerMessage(EventId = 3402, Level = LogLevel.Information, Message = "server lock on {Datastore} re-taken")]
        public static partial void LockRetaken(ILogger logger, string datastore);

        [LoggerMessage(EventId = 3403, Level = LogLevel.Error, Message = "another Tessera server took the server lock on {Datastore} while this one's connection was down: two servers now share one CA journal; stop one of them")]
        public static partial void LockTakenByAnother(ILogger logger, string datastore);
    }
}
