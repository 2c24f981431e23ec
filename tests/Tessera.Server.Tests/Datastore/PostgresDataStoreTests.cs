using Npgsql;
using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Postgres;

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

    private async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
