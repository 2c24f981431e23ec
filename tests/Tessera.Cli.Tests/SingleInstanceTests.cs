using Npgsql;

namespace Tessera.Cli.Tests;

/// <summary>
/// One server per data directory and per datastore, one agent per data directory: a second <c>tessera server run</c>
/// or <c>tessera agent run</c> exits 3 with one line, before it reads or writes anything, and the first keeps serving.
/// </summary>
public sealed class SingleInstanceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task SecondServer_SameDataDirectory_ExitsThreeTouchingNothing()
    {
        var dataDir = _dir.File("server");
        await using var first = await ServerProcess.StartAsync(dataDir);
        var keysBefore = KeyFiles(dataDir);

        var second = await TesseraProcess.RunAsync("server", "run", "--data-dir", dataDir, "--agent-address", $"127.0.0.1:{FreePorts.Next()}", "--health-address", $"127.0.0.1:{FreePorts.Next()}");

        Assert.Equal(3, second.ExitCode);
        Assert.Equal($"data_dir: another Tessera server is running with {dataDir} (it holds {Path.Combine(dataDir, "server.lock")}, which names its pid); stop it or choose another --data-dir", second.StdErr.Trim());
        Assert.Equal(keysBefore, KeyFiles(dataDir));
        Assert.Equal(0, (await TesseraProcess.RunAsync("entry", "count", "--socket", first.Socket)).ExitCode);
    }

    [Fact]
    public async Task SecondAgent_SameDataDirectoryOtherSocket_ExitsThreeTouchingNothing()
    {
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path);
        var dataDir = domain.Agent.DataDir;
        var before = AgentFiles(dataDir);

        var second = await TesseraProcess.RunAsync("agent", "run", "--data-dir", dataDir, "--socket-path", _dir.File("second.sock"),
            "--server-address", $"127.0.0.1:{domain.Server.AgentPort}", "--insecure-bootstrap", "--join-token", "unused", "--health-address", $"127.0.0.1:{FreePorts.Next()}");

        Assert.Equal(3, second.ExitCode);
        Assert.Equal($"data_dir: another Tessera agent is running with {dataDir} (it holds {Path.Combine(dataDir, "agent.lock")}, which names its pid); stop it or choose another --data-dir", second.StdErr.Trim());
        Assert.Equal(before, AgentFiles(dataDir));
        Assert.False(File.Exists(_dir.File("second.sock")));
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{domain.Agent.HealthPort}/healthz/ready"));
        Assert.Equal(System.Net.HttpStatusCode.OK, ready.StatusCode);
    }

    [Fact]
    public async Task SecondServer_SamePostgresOtherDataDirectory_ExitsThree()
    {
        var admin = Environment.GetEnvironmentVariable("TESSERA_TEST_POSTGRES");
        if (string.IsNullOrEmpty(admin))
        {
            Assert.Fail("TESSERA_TEST_POSTGRES is not set: run ./test.sh, which provides PostgreSQL");
        }

        var schema = "s_" + Guid.NewGuid().ToString("N");
        await ExecuteAsync(admin, $"CREATE SCHEMA {schema}");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema };
            string[] postgres = ["--datastore", "postgres", "--datastore-connection-string", builder.ToString()];
            await using var first = await ServerProcess.StartAsync(_dir.File("first"), postgres);

            var second = await TesseraProcess.RunAsync(["server", "run", "--data-dir", _dir.File("second"), "--agent-address", $"127.0.0.1:{FreePorts.Next()}", "--health-address", $"127.0.0.1:{FreePorts.Next()}", .. postgres]);

            Assert.Equal(3, second.ExitCode);
            Assert.Equal($"datastore: another Tessera server is using PostgreSQL database '{builder.Database}' at {builder.Host}:{builder.Port} (it holds the server lock); one server per datastore — stop it or use another database or schema", second.StdErr.Trim());
            Assert.False(Directory.Exists(Path.Combine(_dir.File("second"), "keys")));
            Assert.Equal(0, (await TesseraProcess.RunAsync("entry", "count", "--socket", first.Socket)).ExitCode);
        }
        finally
        {
            await ExecuteAsync(admin, $"DROP SCHEMA {schema} CASCADE");
        }
    }

    // The agent's own key and SVID (the bundle file may be rewritten by the running agent at any time).
    private static string[] AgentFiles(string dataDir) =>
        [.. new[] { "agent_svid.key", "agent_svid.pem" }.Select(f => $"{f} {File.GetLastWriteTimeUtc(Path.Combine(dataDir, f)):O}")];

    private static string[] KeyFiles(string dataDir) =>
        [.. Directory.GetFiles(Path.Combine(dataDir, "keys")).Select(f => $"{Path.GetFileName(f)} {File.GetLastWriteTimeUtc(f):O}").Order(StringComparer.Ordinal)];

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
