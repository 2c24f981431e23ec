using System.Text.Json;
using Tessera.Cli.Tests.Helper;

namespace Tessera.Cli.Tests;

/// <summary>A real <c>tessera server run</c> and <c>tessera agent run</c> (join token) in a temp directory, with entries for this process's uid.</summary>
internal sealed class LocalTrustDomain : IAsyncDisposable
{
    private LocalTrustDomain(ServerProcess server, ServerProcess agent, string agentId, string socket, string uid)
    {
        Server = server;
        Agent = agent;
        AgentId = agentId;
        Socket = socket;
        Uid = uid;
    }

    public ServerProcess Server { get; }

    public ServerProcess Agent { get; }

    public string AgentId { get; }

    /// <summary>Gets the agent's Workload API socket.</summary>
    public string Socket { get; }

    public string Uid { get; }

    /// <summary>Starts the server (with <paramref name="serverArguments"/>, e.g. <c>--oidc-address</c>) and an agent attested with a join token.</summary>
    public static async Task<LocalTrustDomain> StartAsync(string directory, params string[] serverArguments)
    {
        var server = await ServerProcess.StartAsync(Path.Combine(directory, "server"), serverArguments);
        try
        {
            var generated = JsonDocument.Parse((await Admin(server, "token", "generate", "--output", "json")).EnsureSuccess("token generate").StdOut).RootElement;
            var bundle = Path.Combine(directory, "bundle.json");
            await File.WriteAllTextAsync(bundle, (await Admin(server, "bundle", "show", "--format", "spiffe")).EnsureSuccess("bundle show").StdOut);
            var agent = await ServerProcess.StartAgentAsync(Path.Combine(directory, "agent"),
                "--server-address", $"127.0.0.1:{server.AgentPort}", "--trust-bundle", bundle, "--join-token", generated.GetProperty("token").GetString()!);
            var uid = (await ExternalTool.RunAsync("id", ["-u"])).StdOut.Trim();
            return new LocalTrustDomain(server, agent, generated.GetProperty("agent_spiffe_id").GetString()!, Path.Combine(directory, "agent", "public", "api.sock"), uid);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates an entry for this uid with the shortest X509-SVID TTL (60 s: rotation at about 30 s).</summary>
    public async Task CreateEntryAsync(string spiffeId, params string[] extra) =>
        (await Admin(Server, ["entry", "create", "--spiffe-id", spiffeId, "--parent-id", AgentId, "--selector", $"unix:uid:{Uid}", "--owner", "e2e", "--x509-svid-ttl", "60s", .. extra]))
            .EnsureSuccess("entry create");

    /// <summary>
    /// Creates an entry for this uid with a 10-minute X509-SVID TTL (no rotation during a test, so a new serial can
    /// only come from a revocation or a taint), writes its first SVID to <paramref name="writeDirectory"/> with
    /// <c>agent api fetch x509 --write</c> and starts <c>agent api watch</c>. Returns that SVID's serial and the watch,
    /// once the watch has printed it (within <paramref name="budget"/>); the caller disposes the watch.
    /// </summary>
    public async Task<(string Serial, BackgroundProcess Watch)> StartLongLivedWorkloadAsync(string spiffeId, string writeDirectory, TimeSpan budget)
    {
        (await AdminAsync("entry", "create", "--spiffe-id", spiffeId, "--parent-id", AgentId, "--selector", $"unix:uid:{Uid}", "--owner", "e2e", "--x509-svid-ttl", "10m"))
            .EnsureSuccess("entry create");
        await WaitForSvidsAsync(spiffeId);
        var fetched = await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--write", writeDirectory, "--socket", Socket, "--timeout", "10s");
        var serial = SvidOutput.Serial(fetched.EnsureSuccess("fetch x509").StdOut);
        var watch = BackgroundProcess.StartTessera("agent", "api", "watch", "--socket", Socket, "--timeout", "10s");
        try
        {
            await watch.WaitForAsync(o => o.Contains($"serial {serial}", StringComparison.Ordinal), budget, "the watch stream's first SVID");
            return (serial, watch);
        }
        catch
        {
            await watch.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until the Workload API serves every one of <paramref name="spiffeIds"/> to this uid.</summary>
    public async Task WaitForSvidsAsync(params string[] spiffeIds)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = string.Empty;
        while (true)
        {
            var result = await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", Socket, "--timeout", "10s");
            last = result.StdOut + result.StdErr;
            if (result.ExitCode == 0 && spiffeIds.All(id => result.StdOut.Contains($"SPIFFE ID: {id}", StringComparison.Ordinal)))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the agent did not serve {string.Join(", ", spiffeIds)} within 30 s: {last}");
            await Task.Delay(300);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Agent.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>Runs an admin verb against this server's socket.</summary>
    public Task<ExternalTool.Result> AdminAsync(params string[] args) => Admin(Server, args);

    private static Task<ExternalTool.Result> Admin(ServerProcess server, params string[] args) => TesseraProcess.RunAsync([.. args, "--socket", server.Socket]);
}
