using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tessera.Cli.Tests;

/// <summary>
/// A whole local trust domain from real processes: <c>tessera server run</c>, <c>tessera agent run</c> attested with
/// a join token over the real agent port, and workloads using <c>tessera agent api</c> over the real Workload API
/// socket, attested by the agent from the kernel.
/// </summary>
public sealed partial class TrustDomainEndToEndTests : IDisposable
{
    private static readonly TimeSpan Eventually = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Workload_NoEntryThenEntry_RefusedAndAuditedThenServedAcrossServerRestart()
    {
        var serverDir = Path.Combine(_dir.Path, "server");
        var server = await ServerProcess.StartAsync(serverDir);
        try
        {
            var agentPort = server.AgentPort;
            var generated = JsonDocument.Parse((await Admin(server, "token", "generate", "--output", "json")).StdOut).RootElement;
            var agentId = generated.GetProperty("agent_spiffe_id").GetString()!;
            var bundle = Path.Combine(_dir.Path, "bundle.json");
            await File.WriteAllTextAsync(bundle, (await Admin(server, "bundle", "show", "--format", "spiffe")).StdOut);
            await using var agent = await ServerProcess.StartAgentAsync(Path.Combine(_dir.Path, "agent"),
                "--server-address", $"127.0.0.1:{agentPort}", "--trust-bundle", bundle, "--join-token", generated.GetProperty("token").GetString()!);
            var socket = Path.Combine(_dir.Path, "agent", "public", "api.sock");

            // No entry for this process yet: refused, and the refusal reaches the server's audit log.
            var refused = await Fetch(socket);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("no identity issued", refused.StdErr, StringComparison.Ordinal);
            await UntilAsync(async () => (await Admin(server, "audit", "list", "--action", "workload.fetch_x509_svid", "--outcome", "denied")).StdOut.Contains($"agent {agentId}", StringComparison.Ordinal));

            var uid = (await ExternalTool.RunAsync("id", ["-u"])).StdOut.Trim();
            Assert.Equal(0, (await Admin(server, "entry", "create", "--spiffe-id", "spiffe://example.org/e2e/first", "--parent-id", agentId, "--selector", $"unix:uid:{uid}", "--owner", "ops")).ExitCode);
            var first = await UntilFetchedAsync(socket, "spiffe://example.org/e2e/first");
            var serial = SerialPattern().Match(first).Groups[1].Value;

            // The server goes away: the agent keeps serving the cached SVID.
            Assert.Equal(0, await server.StopAsync());
            await server.DisposeAsync();
            var cached = await Fetch(socket);
            Assert.Equal(0, cached.ExitCode);
            Assert.Contains($"serial:  {serial}", cached.StdOut, StringComparison.Ordinal);

            // It comes back on the same data and port: the agent reconnects, and a new entry reaches the workload.
            server = await ServerProcess.StartAsync(serverDir, "--agent-address", $"127.0.0.1:{agentPort}");
            Assert.Equal(0, (await Admin(server, "entry", "create", "--spiffe-id", "spiffe://example.org/e2e/second", "--parent-id", agentId, "--selector", $"unix:uid:{uid}", "--owner", "ops")).ExitCode);
            var both = await UntilFetchedAsync(socket, "spiffe://example.org/e2e/second");
            Assert.Contains("SPIFFE ID: spiffe://example.org/e2e/first", both, StringComparison.Ordinal);

            var issued = (await Admin(server, "audit", "list", "--action", "svid.x509.sign")).StdOut;
            Assert.Contains($"by agent {agentId}", issued, StringComparison.Ordinal);
            Assert.Equal(0, (await Admin(server, "audit", "verify")).ExitCode);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Agent_X509Pop_AttestsWithNodeCertificateAndServesWorkloads()
    {
        using var nodeCa = TestCa.CreateRoot("nodes.example");
        using var node = nodeCa.IssueSvid("/node1");
        var caFile = Path.Combine(_dir.Path, "node-ca.pem");
        var certFile = Path.Combine(_dir.Path, "node.pem");
        var keyFile = Path.Combine(_dir.Path, "node.key");
        await File.WriteAllTextAsync(caFile, nodeCa.Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(certFile, node.Leaf.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, node.Key.ExportPkcs8PrivateKeyPem());
        await using var server = await ServerProcess.StartAsync(Path.Combine(_dir.Path, "server"), "--x509pop-ca-bundle", caFile);
        var bundle = Path.Combine(_dir.Path, "bundle.json");
        await File.WriteAllTextAsync(bundle, (await Admin(server, "bundle", "show", "--format", "spiffe")).StdOut);

        await using var agent = await ServerProcess.StartAgentAsync(Path.Combine(_dir.Path, "agent"),
            "--server-address", $"127.0.0.1:{server.AgentPort}", "--trust-bundle", bundle, "--x509pop-cert-file", certFile, "--x509pop-key-file", keyFile);

        var agentId = "spiffe://example.org/tessera/agent/x509pop/" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(node.Leaf.RawData));
        var shown = await Admin(server, "agent", "show", "--spiffe-id", agentId);
        Assert.Equal(0, shown.ExitCode);
        Assert.Contains("Attestation type : x509pop", shown.StdOut, StringComparison.Ordinal);
        var uid = (await ExternalTool.RunAsync("id", ["-u"])).StdOut.Trim();
        Assert.Equal(0, (await Admin(server, "entry", "create", "--spiffe-id", "spiffe://example.org/e2e/pop", "--parent-id", agentId, "--selector", $"unix:uid:{uid}", "--owner", "ops")).ExitCode);
        await UntilFetchedAsync(Path.Combine(_dir.Path, "agent", "public", "api.sock"), "spiffe://example.org/e2e/pop");
    }

    [Fact]
    public async Task CaRotation_NextAuthorityReachesWorkloadWithoutRestart()
    {
        // A 2-minute CA prepares its successor at half-life; the rotation tick (every 10 s) pushes the new bundle
        // to the agent over Sync, and the agent to the workload's stream: no process restarts.
        await using var server = await ServerProcess.StartAsync(Path.Combine(_dir.Path, "server"), "--ca-ttl", "2m", "--x509-svid-ttl", "20s", "--jwt-svid-ttl", "20s");
        var generated = JsonDocument.Parse((await Admin(server, "token", "generate", "--output", "json")).StdOut).RootElement;
        var agentId = generated.GetProperty("agent_spiffe_id").GetString()!;
        var bundle = Path.Combine(_dir.Path, "bundle.json");
        await File.WriteAllTextAsync(bundle, (await Admin(server, "bundle", "show", "--format", "spiffe")).StdOut);
        await using var agent = await ServerProcess.StartAgentAsync(Path.Combine(_dir.Path, "agent"),
            "--server-address", $"127.0.0.1:{server.AgentPort}", "--trust-bundle", bundle, "--join-token", generated.GetProperty("token").GetString()!);
        var uid = (await ExternalTool.RunAsync("id", ["-u"])).StdOut.Trim();
        Assert.Equal(0, (await Admin(server, "entry", "create", "--spiffe-id", "spiffe://example.org/e2e/rotating", "--parent-id", agentId, "--selector", $"unix:uid:{uid}", "--owner", "ops")).ExitCode);
        var socket = Path.Combine(_dir.Path, "agent", "public", "api.sock");
        var written = Path.Combine(_dir.Path, "svid");
        await UntilFetchedAsync(socket, "spiffe://example.org/e2e/rotating");

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        int authorities;
        do
        {
            await Task.Delay(1000);
            Assert.Equal(0, (await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", socket, "--write", written, "--timeout", "20s")).ExitCode);
            authorities = CountCertificates(await File.ReadAllTextAsync(Path.Combine(written, "bundle.pem")));
        }
        while (authorities < 2 && DateTime.UtcNow < deadline);

        Assert.Equal(2, authorities);
        Assert.Equal(CountCertificates((await Admin(server, "bundle", "show")).StdOut), authorities);
    }

    private static int CountCertificates(string pem) => Regex.Count(pem, "-----BEGIN CERTIFICATE-----");

    private static Task<ExternalTool.Result> Admin(ServerProcess server, params string[] args) => TesseraProcess.RunAsync([.. args, "--socket", server.Socket]);

    private static Task<ExternalTool.Result> Fetch(string socket) => TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", socket, "--timeout", "20s");

    private static async Task<string> UntilFetchedAsync(string socket, string spiffeId)
    {
        string last = string.Empty;
        await UntilAsync(async () =>
        {
            var result = await Fetch(socket);
            last = result.StdOut + result.StdErr;
            return result.ExitCode == 0 && result.StdOut.Contains($"SPIFFE ID: {spiffeId}", StringComparison.Ordinal);
        }, () => last);
        return last;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + Eventually;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Eventually}: {describe?.Invoke()}");
            await Task.Delay(200);
        }
    }

    [GeneratedRegex(@"serial:\s+([0-9A-F]+)")]
    private static partial Regex SerialPattern();
}
