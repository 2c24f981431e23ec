using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tessera.Server.Datastore.Postgres;
using Tessera.Server.Hosting;

namespace Tessera.Server.Tests.Datastore;

/// <summary>One server per PostgreSQL database and schema: the advisory lock a server holds for its lifetime.</summary>
public sealed class PostgresServerLockTests : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly string _schema = "l_" + Guid.NewGuid().ToString("N");
    private readonly string _otherSchema = "l_" + Guid.NewGuid().ToString("N");
    private string _admin = string.Empty;

    private CancellationToken Ct => _timeout.Token;

    public async Task InitializeAsync()
    {
        _admin = Environment.GetEnvironmentVariable("TESSERA_TEST_POSTGRES") ?? string.Empty;
        if (_admin.Length == 0)
        {
            Assert.Fail("TESSERA_TEST_POSTGRES is not set: run ./test.sh, which starts a throw-away PostgreSQL (tests/postgres/start.sh) and sets it");
        }

        await ExecuteAsync($"CREATE SCHEMA {_schema}; CREATE SCHEMA {_otherSchema}");
    }

    public Task DisposeAsync() => _admin.Length == 0 ? Task.CompletedTask : ExecuteAsync($"DROP SCHEMA {_schema} CASCADE; DROP SCHEMA {_otherSchema} CASCADE");

    public void Dispose() => _timeout.Dispose();

    [Fact]
    public async Task Acquire_SecondForSameSchema_RefusedNamingTheDatabase_FreeAgainOnceReleased()
    {
        var first = await AcquireAsync(_schema);
        var builder = new NpgsqlConnectionStringBuilder(_admin);

        var refused = await Assert.ThrowsAsync<ServerAlreadyRunningException>(() => AcquireAsync(_schema));

        Assert.Equal($"datastore: another Tessera server is using PostgreSQL database '{builder.Database}' at {builder.Host}:{builder.Port} (it holds the server lock); one server per datastore — stop it or use another database or schema", refused.Message);
        await first.DisposeAsync();
        await (await AcquireAsync(_schema)).DisposeAsync();
    }

    [Fact]
    public async Task Acquire_OtherSchemaOfSameDatabase_BothHeld()
    {
        await using var first = await AcquireAsync(_schema);
        await using var second = await AcquireAsync(_otherSchema);
    }

    [Fact]
    public async Task Acquire_Unreachable_UnavailableNamingTheDatabase()
    {
        var refused = await Assert.ThrowsAsync<Tessera.Server.Datastore.DataStoreUnavailableException>(() =>
            PostgresServerLock.AcquireAsync("Host=127.0.0.1;Port=1;Username=postgres;Database=tessera;Timeout=3", TimeProvider.System, NullLogger.Instance, Ct));

        Assert.StartsWith("PostgreSQL database 'tessera' at 127.0.0.1:1 is unavailable: ", refused.Message, StringComparison.Ordinal);
    }

    private Task<PostgresServerLock> AcquireAsync(string schema) =>
        PostgresServerLock.AcquireAsync(new NpgsqlConnectionStringBuilder(_admin) { SearchPath = schema }.ToString(), TimeProvider.System, NullLogger.Instance, Ct);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
