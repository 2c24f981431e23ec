using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Tessera.Cli.Tests;

/// <summary>A real <c>tessera server run</c> process driven by the real CLI over the admin Unix socket.</summary>
public sealed class ServerEndToEndTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();
    private ServerProcess _server = null!;

    public async Task InitializeAsync() => _server = await ServerProcess.StartAsync(Path.Combine(_dir.Path, "server"));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Entries_CreateShowCountUpdateDelete_WorkEndToEnd()
    {
        var created = await Admin("entry", "create", "--spiffe-id", "spiffe://example.org/payments/api", "--parent-id", "spiffe://example.org/agent/node1",
            "--selector", "unix:uid:1001", "--selector", "unix:path:/usr/bin/api", "--owner", "team-payments", "--purpose", "card API", "--output", "json");
        Assert.Equal(0, created.ExitCode);
        var entry = JsonDocument.Parse(created.StdOut).RootElement[0];
        var id = entry.GetProperty("id").GetString()!;
        Assert.Equal("team-payments", entry.GetProperty("owner").GetString());

        var show = await Admin("entry", "show", "--selector", "unix:uid:1001", "--match", "superset");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("SPIFFE ID     : spiffe://example.org/payments/api", show.StdOut, StringComparison.Ordinal);
        Assert.Contains("Found 1 entry", show.StdOut, StringComparison.Ordinal);
        Assert.Equal("1", (await Admin("entry", "count", "--owner", "team-payments")).StdOut.Trim());
        Assert.Equal("0", (await Admin("entry", "count", "--owner", "nobody")).StdOut.Trim());

        var updated = await Admin("entry", "update", "--entry-id", id, "--purpose", "card authorisation API", "--output", "json");
        Assert.Equal(0, updated.ExitCode);
        Assert.Equal("card authorisation API", JsonDocument.Parse(updated.StdOut).RootElement[0].GetProperty("purpose").GetString());

        Assert.Equal(0, (await Admin("entry", "delete", "--entry-id", id)).ExitCode);
        var gone = await Admin("entry", "show", "--entry-id", id);
        Assert.Equal(2, gone.ExitCode);
        Assert.Equal($"NotFound: no entry with id '{id}'", gone.StdErr.Trim());
    }

    [Fact]
    public async Task EntryCreate_Invalid_ExitsTwoListingEveryProblemAndAudits()
    {
        var result = await Admin("entry", "create", "--spiffe-id", "spiffe://other.org/x", "--parent-id", "spiffe://example.org/agent/node1", "--selector", "unix:uid:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("InvalidArgument: spiffe_id: 'spiffe://other.org/x' is not in trust domain 'example.org'; owner: required — every identity needs an accountable owner (a team or person)", result.StdErr.Trim());
        var audit = await Admin("audit", "list", "--action", "entry.create", "--outcome", "denied");
        Assert.Contains("is not in trust domain 'example.org'", audit.StdOut, StringComparison.Ordinal);
        Assert.Equal("0", (await Admin("entry", "count")).StdOut.Trim());
    }

    [Fact]
    public async Task EntryCreate_Duplicate_ExitsTwoAlreadyExists()
    {
        string[] args = ["entry", "create", "--spiffe-id", "spiffe://example.org/a", "--parent-id", "spiffe://example.org/agent/n", "--selector", "unix:uid:1", "--owner", "t"];
        Assert.Equal(0, (await Admin(args)).ExitCode);

        var again = await Admin(args);

        Assert.Equal(2, again.ExitCode);
        Assert.StartsWith("AlreadyExists: ", again.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenGenerate_PrintsTokenOnceAndAuditsOnlyAPrefix()
    {
        var result = await Admin("token", "generate", "--ttl", "5m", "--output", "json");

        Assert.Equal(0, result.ExitCode);
        var token = JsonDocument.Parse(result.StdOut).RootElement.GetProperty("token").GetString()!;
        Assert.Equal(32, token.Length);
        var audit = await Admin("audit", "list", "--action", "token.generate");
        Assert.Contains($"join token {token[..6]}…", audit.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(token, audit.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_AfterTamperingWithTheDatabase_ExitsOneNamingTheRecord()
    {
        Assert.Equal(0, (await Admin("token", "generate")).ExitCode);
        Assert.Equal(0, (await Admin("entry", "count")).ExitCode);
        var intact = await Admin("audit", "verify");
        Assert.Equal(0, intact.ExitCode);
        Assert.StartsWith("audit chain intact: ", intact.StdOut, StringComparison.Ordinal);

        // An attacker with write access to the database rewrites history: the chain exposes it.
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "datastore.sqlite3")};Pooling=false"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "UPDATE audit_log SET caller = 'uid:0 pid:1' WHERE seq = 1";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var broken = await Admin("audit", "verify");

        Assert.Equal(1, broken.ExitCode);
        Assert.StartsWith("AUDIT CHAIN BROKEN at record 1: record 1 was modified after it was written", broken.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditVerify_NewestRecordsDeleted_ExitsOneNamingThem()
    {
        Assert.Equal(0, (await Admin("token", "generate")).ExitCode);
        Assert.Equal(0, (await Admin("entry", "count")).ExitCode);
        Assert.Equal(0, (await Admin("audit", "verify")).ExitCode);

        // Deleting the newest records leaves a valid chain; the head the server keeps outside the database does not.
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_server.DataDir, "datastore.sqlite3")};Pooling=false"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "DELETE FROM audit_log WHERE seq >= 2";
            Assert.True(await command.ExecuteNonQueryAsync() >= 2);
        }

        var broken = await Admin("audit", "verify");

        Assert.Equal(1, broken.ExitCode);
        Assert.StartsWith("AUDIT CHAIN BROKEN at record 2: records 2..", broken.StdOut, StringComparison.Ordinal);
        Assert.Contains("(the newest records were deleted)", broken.StdOut, StringComparison.Ordinal);

        // The next calls append over the gap; the head stays where it was, so it is still reported.
        Assert.Equal(0, (await Admin("entry", "count")).ExitCode);
        var still = await Admin("audit", "verify");
        Assert.Equal(1, still.ExitCode);
        Assert.StartsWith("AUDIT CHAIN BROKEN at record ", still.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerRun_SigTerm_ExitsZeroAndRemovesSocket()
    {
        Assert.True(File.Exists(_server.Socket));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_server.Socket));

        Assert.Equal(0, await _server.StopAsync());
        Assert.False(File.Exists(_server.Socket));
    }

    [Fact]
    public async Task Healthcheck_RunningServer_Ready()
    {
        var result = await TesseraProcess.RunAsync("server", "healthcheck", "--address", $"127.0.0.1:{_server.HealthPort}");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("server ready", result.StdOut.Trim());
    }

    [Fact]
    public async Task Bundle_ShowAfterRestart_SameCaAndKeysStayPrivate()
    {
        var before = await Admin("bundle", "show");
        var spiffe = await Admin("bundle", "show", "--format", "spiffe");
        Assert.Equal(0, before.ExitCode);
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", before.StdOut, StringComparison.Ordinal);
        var bundle = Tessera.Spiffe.Bundles.SpiffeBundle.Parse(Tessera.Spiffe.Ids.TrustDomain.Parse("example.org"), spiffe.StdOut);
        Assert.Single(bundle.X509Bundle.Authorities);
        Assert.Single(bundle.JwtBundle.Authorities);
        Assert.Equal(0, await _server.StopAsync());

        // Checked once stopped: a running server may be mid-way through an atomic key write.
        Assert.All(Directory.GetFiles(Path.Combine(_server.DataDir, "keys")), key =>
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key)));
        await _server.DisposeAsync();
        _server = await ServerProcess.StartAsync(_server.DataDir);
        var after = await Admin("bundle", "show");

        // Rotation state and keys survive a restart: the same CA, not a new trust root.
        Assert.Equal(before.StdOut, after.StdOut);
    }

    [Fact]
    public async Task FederatedBundles_SetListShowDelete_AndOwnTrustDomainRefused()
    {
        var partner = Path.Combine(_dir.Path, "partner");
        Assert.Equal(0, (await TesseraProcess.RunAsync("dev", "x509-svid", "--id", "spiffe://partner.org/api", "--out", partner)).ExitCode);
        Assert.Equal(0, (await TesseraProcess.RunAsync("dev", "jwt-svid", "--id", "spiffe://partner.org/api", "--audience", "x", "--out", partner)).ExitCode);
        var bundleJson = Path.Combine(partner, "bundle.json");

        var set = await Admin("bundle", "set", "--trust-domain", "partner.org", "--path", bundleJson);
        var list = await Admin("bundle", "list");
        var show = await Admin("bundle", "show", "--trust-domain", "partner.org");
        var own = await Admin("bundle", "set", "--trust-domain", "example.org", "--path", bundleJson);
        var garbage = await Admin("bundle", "set", "--trust-domain", "other.org", "--path", Path.Combine(partner, "svid.pem"));

        Assert.Equal(0, set.ExitCode);
        Assert.Contains("partner.org  sequence 1  1 X.509 authorities", list.StdOut, StringComparison.Ordinal);
        Assert.Equal((await File.ReadAllTextAsync(Path.Combine(partner, "ca.pem"))).Trim(), show.StdOut.Trim());
        Assert.Equal(2, own.ExitCode);
        Assert.Equal("InvalidArgument: 'example.org' is this server's own trust domain; its bundle is managed by the CA", own.StdErr.Trim());
        Assert.Equal(2, garbage.ExitCode);
        Assert.StartsWith("InvalidArgument: not a valid SPIFFE bundle: ", garbage.StdErr, StringComparison.Ordinal);
        Assert.Equal(0, (await Admin("bundle", "delete", "--trust-domain", "partner.org")).ExitCode);
        Assert.Contains("Found 0 federated bundles", (await Admin("bundle", "list")).StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KillNine_DuringBatchCreates_RestartLosesNothingCommittedAndChainIntact()
    {
        // Batches of 50 entries, each all-or-nothing, while the server is killed with SIGKILL mid-stream.
        var batches = Enumerable.Range(0, 20).Select(b => new
        {
            entries = Enumerable.Range(0, 50).Select(i => new
            {
                spiffeId = $"spiffe://example.org/w{b}/{i}",
                parentId = "spiffe://example.org/agent/node1",
                selectors = new[] { new { type = "unix", value = $"uid:{(b * 50) + i}" } },
                owner = "team",
            }),
        }).ToArray();
        var creates = new List<Task<ExternalTool.Result>>();
        for (var b = 0; b < batches.Length; b++)
        {
            var file = Path.Combine(_dir.Path, $"batch{b}.json");
            await File.WriteAllTextAsync(file, JsonSerializer.Serialize(batches[b]));
            creates.Add(Admin("entry", "create", "--data", file, "--output", "json"));
            if (b == 10)
            {
                await Task.Delay(300);
                _server.KillHard();
            }
        }

        var results = await Task.WhenAll(creates);
        await _server.DisposeAsync();
        _server = await ServerProcess.StartAsync(_server.DataDir);

        var acknowledged = results.Count(r => r.ExitCode == 0);
        var count = long.Parse((await Admin("entry", "count")).StdOut.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(count % 50 == 0, $"a batch was half-written: {count} entries");
        Assert.True(count >= acknowledged * 50, $"{acknowledged} batches were acknowledged but only {count} entries survived");
        Assert.Equal(0, (await Admin("audit", "verify")).ExitCode);
    }

    private Task<ExternalTool.Result> Admin(params string[] args) => TesseraProcess.RunAsync([.. args, "--socket", _server.Socket]);
}
