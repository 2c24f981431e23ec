using System.Net;
using System.Net.Sockets;

namespace Tessera.Cli.Tests;

/// <summary>A port already taken is an operator's mistake, reported in one line with exit 3 — not a stack trace.</summary>
public sealed class ListenFailureTests
{
    [Fact]
    public async Task ServerRun_AgentPortTaken_ExitsThreeNamingTheAddress()
    {
        using var dir = new TempDirectory();
        using var taken = Listen(out var port);

        var result = await TesseraProcess.RunAsync("server", "run", "--data-dir", dir.File("data"), "--agent-address", $"127.0.0.1:{port}", "--health-address", $"127.0.0.1:{FreePorts.Next()}");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"cannot listen: Failed to bind to address https://127.0.0.1:{port}: address already in use; stop what holds it or choose another address (--agent-address, --health-address, --oidc-address)", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentRun_HealthPortTaken_ExitsThreeNamingTheAddress()
    {
        using var dir = new TempDirectory();
        using var taken = Listen(out var port);

        var result = await TesseraProcess.RunAsync("agent", "run", "--data-dir", dir.File("agent"), "--health-address", $"127.0.0.1:{port}",
            "--server-address", $"127.0.0.1:{FreePorts.Next()}", "--insecure-bootstrap", "--join-token", "unused");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains($"cannot listen: Failed to bind to address http://127.0.0.1:{port}: address already in use; stop what holds it or choose another address (--health-address)", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProxyInbound_ListenPortTaken_ExitsTwoAtOnceWithoutAnAgent()
    {
        // No agent behind --socket: the taken port is reported before the Workload API is asked anything.
        using var dir = new TempDirectory();
        using var taken = Listen(out var port);

        var result = await TesseraProcess.RunAsync("proxy", "inbound", "--listen", $"127.0.0.1:{port}", "--forward", $"127.0.0.1:{FreePorts.Next()}",
            "--allow", "spiffe://example.org/client", "--socket", dir.File("no-agent.sock"), "--timeout", "60s");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"--listen: cannot listen on 127.0.0.1:{port}: Address already in use", result.StdErr.Trim());
    }

    private static TcpListener Listen(out int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return listener;
    }
}
