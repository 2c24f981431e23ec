using System.Globalization;
using Grpc.Net.Client;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Transport;

namespace Tessera.Bench.Agent;

/// <summary>
/// What every process-level scenario starts with: a real <c>tessera server run</c> in a temp directory, ready, with
/// an admin client on its socket, a join token for one agent, the trust bundle written to disk and the uid whose
/// processes the scenario's entries select. <see cref="StartAgent(string, int)"/> starts that agent.
/// </summary>
internal sealed class BenchServer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly GrpcChannel _adminChannel;

    private BenchServer(string dir, ChildProcess server, GrpcChannel adminChannel, int agentPort, JoinToken token, string bundlePath, string uid)
    {
        _dir = dir;
        Server = server;
        _adminChannel = adminChannel;
        Admin = new Admin.AdminClient(adminChannel);
        AgentPort = agentPort;
        Token = token;
        BundlePath = bundlePath;
        Uid = uid;
    }

    public ChildProcess Server { get; }

    public Admin.AdminClient Admin { get; }

    public int AgentPort { get; }

    public JoinToken Token { get; }

    public string BundlePath { get; }

    /// <summary>The uid of the benchmark's own processes (the invoking user's under sudo).</summary>
    public string Uid { get; }

    public static async Task<BenchServer> StartAsync(string dir, CancellationToken ct)
    {
        var health = ChildProcess.FreePort();
        var agentPort = ChildProcess.FreePort();
        var server = ChildProcess.Start("server", "run", "--data-dir", Path.Combine(dir, "server"), "--health-address", $"127.0.0.1:{health}", "--agent-address", $"127.0.0.1:{agentPort}");
        await server.WaitForAsync(new Uri($"http://127.0.0.1:{health}/healthz/ready"), _ => true, TimeSpan.FromMinutes(1)).ConfigureAwait(false);
        var adminChannel = UnixSocketChannel.Create(Path.Combine(dir, "server", "admin.sock"));
        var admin = new Admin.AdminClient(adminChannel);
        var token = await admin.GenerateJoinTokenAsync(new GenerateJoinTokenRequest { TtlSeconds = 3600 }, cancellationToken: ct).ConfigureAwait(false);
        var bundle = await admin.GetBundleAsync(new GetBundleRequest(), cancellationToken: ct).ConfigureAwait(false);
        var bundlePath = Path.Combine(dir, "bundle.json");
        await File.WriteAllTextAsync(bundlePath, bundle.SpiffeBundleJson, ct).ConfigureAwait(false);
        var uid = Environment.GetEnvironmentVariable("SUDO_UID") is { Length: > 0 } sudo ? sudo : Libc.Uid().ToString(CultureInfo.InvariantCulture);
        return new BenchServer(dir, server, adminChannel, agentPort, token, bundlePath, uid);
    }

    /// <summary>Starts the agent that attests with <see cref="Token"/>, serving the Workload API on <paramref name="socket"/>.</summary>
    public ChildProcess StartAgent(string socket, int healthPort) => StartAgent(Token, "agent", socket, healthPort);

    /// <summary>Starts an agent that attests with <paramref name="token"/>, its data in <paramref name="name"/> under the scenario's directory.</summary>
    public ChildProcess StartAgent(JoinToken token, string name, string socket, int healthPort) =>
        ChildProcess.Start("agent", "run", "--server-address", $"127.0.0.1:{AgentPort}", "--trust-bundle", BundlePath, "--join-token", token.Token,
            "--data-dir", Path.Combine(_dir, name), "--socket-path", socket, "--health-address", $"127.0.0.1:{healthPort}");

    /// <summary>Runs <paramref name="body"/> in a fresh temp directory, removed afterwards; returns exit code 0.</summary>
    public static async Task<int> InTempDirectoryAsync(string scenario, Func<string, Task> body)
    {
        var dir = Directory.CreateTempSubdirectory($"tessera-bench-{scenario}-");
        try
        {
            await body(dir.FullName).ConfigureAwait(false);
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _adminChannel.Dispose();
        await Server.DisposeAsync().ConfigureAwait(false);
    }
}
