using System.Net;
using System.Net.Sockets;
using Npgsql;
using Tessera.Server.Audit;
using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Postgres;
using RegistrationEntry = Tessera.Server.Datastore.RegistrationEntry;

namespace Tessera.Server.Tests.Datastore;

/// <summary>
/// The conformance suite against a real PostgreSQL: ./test.sh starts one (tests/postgres/start.sh) and
/// passes its connection string in TESSERA_TEST_POSTGRES. Each test gets its own schema.
/// </summary>
public sealed class PostgresDataStoreTests : DataStoreConformanceTests
{
    private const string Variable = "TESSERA_TEST_POSTGRES";
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");
    private string? _adminConnectionString;
    private string? _connectionString;

    public override async Task InitializeAsync()
    {
        _adminConnectionString = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(_adminConnectionString))
        {
            Assert.Fail($"{Variable} is not set: run ./test.sh, which starts a throw-away PostgreSQL (tests/postgres/start.sh) and sets it");
        }

        await ExecuteAdminAsync($"CREATE SCHEMA {_schema}");
        _connectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { SearchPath = _schema }.ToString();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is not null)
        {
            await ExecuteAdminAsync($"DROP SCHEMA {_schema} CASCADE");
        }
    }

    private protected override Task<IDataStore> OpenAsync() =>
        PostgresDataStore.OpenAsync(_connectionString!, Clock, Ct);

    // Port 1 on loopback: nothing listens there, so the connection is refused at once.
    private protected override Task<IDataStore> OpenUnreachableAsync() =>
        PostgresDataStore.OpenAsync("Host=127.0.0.1;Port=1;Username=postgres;Database=tessera;Timeout=3", Clock, Ct);

    private protected override void AssertUnreachableMessage(string message) =>
        Assert.StartsWith("PostgreSQL database 'tessera' at 127.0.0.1:1 is unavailable: ", message, StringComparison.Ordinal);

    private protected override async Task<long> RawCountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task Operations_WhileServerUnreachable_ThrowUnavailableThenRecover()
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString);
        EndPoint target = builder.Host!.StartsWith('/')
            ? new UnixDomainSocketEndPoint(Path.Combine(builder.Host, $".s.PGSQL.{builder.Port}"))
            : new DnsEndPoint(builder.Host, builder.Port);
        await using var proxy = new FlakyTcpProxy(target);
        builder.Host = "127.0.0.1";
        builder.Port = proxy.Port;
        builder.Timeout = 3;
        await using var store = await PostgresDataStore.OpenAsync(builder.ToString(), Clock, Ct);
        var entry = await store.CreateEntryAsync(Entry("/web"), Ct);

        proxy.TakeDown();
        var down = await Assert.ThrowsAsync<DataStoreUnavailableException>(() => store.GetEntryAsync(entry.Id, Ct));
        proxy.BringBack();

        Assert.StartsWith($"PostgreSQL database '{builder.Database}' at 127.0.0.1:{proxy.Port} is unavailable: ", down.Message, StringComparison.Ordinal);
        // Pooled connections broken by the outage are replaced: the same store works again.
        var recovered = await RetryWhileUnavailableAsync(() => store.GetEntryAsync(entry.Id, Ct));
        Assert.Equal(entry.Id, recovered!.Id);
    }

    [Fact]
    public async Task WriteAudited_WhileServerUnreachable_ThrowsUnavailableAndWritesNothing()
    {
        var builder = new NpgsqlConnectionStringBuilder(_connectionString);
        EndPoint target = builder.Host!.StartsWith('/')
            ? new UnixDomainSocketEndPoint(Path.Combine(builder.Host, $".s.PGSQL.{builder.Port}"))
            : new DnsEndPoint(builder.Host, builder.Port);
        await using var proxy = new FlakyTcpProxy(target);
        builder.Host = "127.0.0.1";
        builder.Port = proxy.Port;
        builder.Timeout = 3;
        await using var store = await PostgresDataStore.OpenAsync(builder.ToString(), Clock, Ct);
        using var log = new AuditLog(new DatastoreAuditStore(store));

        proxy.TakeDown();
        var down = await Assert.ThrowsAsync<DataStoreUnavailableException>(() => log.WriteAuditedAsync<RegistrationEntry>(async (writer, token) =>
        {
            var entry = (await writer.CreateEntriesAsync([Entry("/web")], token))[0];
            return (entry, [new AuditEvent(Clock.GetUtcNow(), "uid:0", "entry.create", entry.Id, "ok", string.Empty)]);
        }, Ct));
        proxy.BringBack();

        Assert.StartsWith($"PostgreSQL database '{builder.Database}' at 127.0.0.1:{proxy.Port} is unavailable: ", down.Message, StringComparison.Ordinal);
        Assert.Equal(0, await RawCountAsync("SELECT COUNT(*) FROM entries"));
        Assert.Equal(0, await RawCountAsync("SELECT COUNT(*) FROM audit_log"));
    }

    private static async Task<T> RetryWhileUnavailableAsync<T>(Func<Task<T>> operation)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (DataStoreUnavailableException) when (attempt < 3)
            {
                // At most one more pooled connection may have been cut; the next attempt opens a fresh one.
            }
        }
    }

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
