using System.Diagnostics;
using System.Net;

namespace Tessera.Cli.Tests;

/// <summary>
/// A real <c>tessera server run</c> (or <c>tessera agent run</c>, see <see cref="StartAgentAsync"/>) child process in a
/// temp directory, ready when its health endpoint says so, stopped with SIGTERM on dispose.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private ServerProcess(Process process, string dataDir, int healthPort, int agentPort)
    {
        _process = process;
        DataDir = dataDir;
        HealthPort = healthPort;
        AgentPort = agentPort;
    }

    public string DataDir { get; }

    public int HealthPort { get; }

    /// <summary>Gets the agent (node API, TLS) port; a free one per process so parallel servers never collide on 8081.</summary>
    public int AgentPort { get; }

    public string Socket => Path.Combine(DataDir, "admin.sock");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a server; pass <c>--agent-address</c> in <paramref name="extraArguments"/> to pick its agent port (e.g. on a restart).</summary>
    public static Task<ServerProcess> StartAsync(string dataDir, params string[] extraArguments)
    {
        var given = Array.IndexOf(extraArguments, "--agent-address");
        var agentPort = given >= 0 ? int.Parse(extraArguments[given + 1].Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture) : FreePorts.Next();
        string[] agentAddress = given >= 0 ? [] : ["--agent-address", $"127.0.0.1:{agentPort}"];
        return StartAsync(["server", "run", .. agentAddress, .. extraArguments], dataDir, agentPort);
    }

    /// <summary>Starts an agent (its Workload API socket is <c>&lt;dataDir&gt;/public/api.sock</c>); ready once attested and synced.</summary>
    public static Task<ServerProcess> StartAgentAsync(string dataDir, params string[] arguments) =>
        StartAsync(["agent", "run", .. arguments], dataDir, agentPort: 0);

    private static async Task<ServerProcess> StartAsync(string[] verb, string dataDir, int agentPort)
    {
        var port = FreePorts.Next();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "tessera.dll"), .. verb, "--data-dir", dataDir, "--health-address", $"127.0.0.1:{port}"])
        {
            psi.ArgumentList.Add(argument);
        }

        var process = Process.Start(psi)!;
        var server = new ServerProcess(process, dataDir, port, agentPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitReadyAsync();
        return server;
    }

    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM, as an init system would send: the server must shut down gracefully.
            _ = Kill(_process.Id, 15);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(cts.Token);
        }

        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs, as in a crash or an OOM kill.</summary>
    public void KillHard() => _ = Kill(_process.Id, 9);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"server exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{HealthPort}/healthz/ready"));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"server not ready within {StartTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }


    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
