using System.Net;

namespace Tessera.Cli.Tests;

/// <summary>
/// The datastore goes away under a running server and comes back: calls fail with a clear Unavailable error
/// (exit 3), the server stays up, and it recovers without a restart. Uses its own throw-away PostgreSQL
/// cluster (tests/postgres/start.sh), because stopping the shared one would break the other tests.
/// </summary>
public sealed class DatastoreOutageTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();

    // Directly under /tmp, not inside the 0700 temp directory: as root the cluster runs as the postgres user,
    // which must be able to reach it. stop.sh deletes it.
    private readonly string _postgresDir = Path.Combine(Path.GetTempPath(), "tessera-pg-" + Guid.NewGuid().ToString("N"));

    private string PostgresDir => _postgresDir;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Script("stop.sh", PostgresDir);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task AdminCalls_PostgresStoppedThenStarted_FailUnavailableThenRecover()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("TESSERA_TEST_POSTGRES")))
        {
            Assert.Fail("TESSERA_TEST_POSTGRES is not set: run ./test.sh, which provides PostgreSQL");
        }

        var started = await Script("start.sh", PostgresDir);
        Assert.True(started.ExitCode == 0, started.StdErr);
        await using var server = await ServerProcess.StartAsync(Path.Combine(_dir.Path, "server"), "--datastore", "postgres", "--datastore-connection-string", started.StdOut.Trim());
        Task<ExternalTool.Result> Admin(params string[] args) => TesseraProcess.RunAsync([.. args, "--socket", server.Socket]);
        string[] Create(string name) => ["entry", "create", "--spiffe-id", $"spiffe://example.org/{name}", "--parent-id", "spiffe://example.org/agent/n", "--selector", "unix:uid:1", "--owner", "ops"];
        Assert.Equal(0, (await Admin(Create("before"))).ExitCode);

        Assert.Equal(0, (await Script("ctl.sh", PostgresDir, "stop")).ExitCode);
        var during = await Admin(Create("during"));

        Assert.Equal(3, during.ExitCode);
        Assert.StartsWith($"server at {server.Socket} refused or failed the call (Unavailable): datastore unavailable: ", during.StdErr.Trim(), StringComparison.Ordinal);
        using (var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) })
        {
            using var live = await http.GetAsync(new Uri($"http://127.0.0.1:{server.HealthPort}/healthz/live"));
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        Assert.Equal(0, (await Script("ctl.sh", PostgresDir, "start")).ExitCode);
        var after = await RetryAsync(() => Admin(Create("after")));

        Assert.True(after.ExitCode == 0, after.StdErr);
        Assert.Equal("2", (await Admin("entry", "count")).StdOut.Trim());
        Assert.Equal(0, (await Admin("audit", "verify")).ExitCode);
    }

    private static async Task<ExternalTool.Result> RetryAsync(Func<Task<ExternalTool.Result>> call)
    {
        // Pooled connections broken by the restart are discarded on first use; allow a few attempts.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var result = await call();
            if (result.ExitCode != 3 || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(250);
        }
    }

    private static Task<ExternalTool.Result> Script(string name, params string[] args) =>
        ExternalTool.RunAsync("bash", [Path.Combine(RepoPaths.Root, "tests", "postgres", name), .. args], timeout: TimeSpan.FromMinutes(3));
}
