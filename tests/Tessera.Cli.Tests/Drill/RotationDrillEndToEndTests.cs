using System.Text.Json;

namespace Tessera.Cli.Tests.Drill;

/// <summary>
/// <c>tessera drill rotation</c> against a real server and agent: 200 canary workloads with live mutual TLS between
/// them, an emergency CA rotation in the middle, and no failed request.
/// </summary>
public sealed class RotationDrillEndToEndTests
{
    [Fact]
    public async Task RotationDrill_200WorkloadsUnderLiveMtls_NoFailedRequestEveryWorkloadReissuedOldKeyRemoved()
    {
        using var directory = new TempDirectory();
        await using var domain = await LocalTrustDomain.StartAsync(directory.Path);

        var run = await ExternalTool.RunAsync("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "tessera.dll"), "drill", "rotation", "--admin-socket", domain.Server.Socket, "--socket", domain.Socket,
             "--workloads", "200", "--reason", "e2e rotation drill", "--json"],
            timeout: TimeSpan.FromMinutes(5));

        Assert.True(run.ExitCode == 0, $"drill exited {run.ExitCode}: {run.StdOut} {run.StdErr}");
        var result = JsonDocument.Parse(run.StdOut.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(200, result.GetProperty("workloads").GetInt32());
        Assert.Equal(0, result.GetProperty("failed_requests").GetInt64());
        Assert.Equal(0, result.GetProperty("not_reissued").GetInt32());
        Assert.True(result.GetProperty("requests").GetInt64() > 200, run.StdOut);
        Assert.Equal(JsonValueKind.Number, result.GetProperty("old_key_removed_ms").ValueKind);
        Assert.False(result.GetProperty("upstream_authority").GetBoolean());
        Assert.True(result.GetProperty("passed").GetBoolean());

        // The canaries are gone, and the rotation is in the audit log with its reason.
        var left = await domain.AdminAsync("entry", "show", "--owner", "tessera-drill", "--output", "json");
        Assert.DoesNotContain("tessera-drill/rotation", left.EnsureSuccess("entry show").StdOut, StringComparison.Ordinal);
        var audit = await domain.AdminAsync("audit", "list", "--action", "ca.rotate", "--output", "json");
        Assert.Contains("e2e rotation drill", audit.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--workloads", "10" }, "--reason is required: say why the CA is rotated (it is recorded in the audit log)")]
    [InlineData(new[] { "--reason", "r", "--workloads", "1" }, "--workloads: 1 is out of range (2 to 10000)")]
    [InlineData(new[] { "--reason", "r", "--socket", "/a.sock", "--parent-id", "spiffe://example.org/a", "--parent-id", "spiffe://example.org/b" }, "--parent-id: give one per --socket (1 socket(s), 2 parent ID(s))")]
    [InlineData(new[] { "--reason", "r", "--parent-id", "not-an-id" }, "--parent-id: 'not-an-id' is not a SPIFFE ID")]
    [InlineData(new[] { "--reason", "r", "--timeout", "soon" }, "--timeout:")]
    public async Task RotationDrill_BadOptions_ExitTwoNamingTheProblem(string[] arguments, string error)
    {
        var run = await TesseraProcess.RunAsync(["drill", "rotation", .. arguments]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(error, run.StdErr, StringComparison.Ordinal);
    }
}
