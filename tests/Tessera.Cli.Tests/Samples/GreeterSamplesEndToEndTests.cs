using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Tessera.Cli.Tests.Samples;

/// <summary>
/// The proof of the SDK: the two sample services (samples/Greeter.Server and samples/Greeter.Client) get their
/// identities from a real <c>tessera agent run</c>, told apart by their executables' paths, and the client calls the
/// server over mutual TLS continuously across a rotation of both SVIDs without a single failed call.
/// </summary>
public sealed partial class GreeterSamplesEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const string ServerId = "spiffe://example.org/greeter/server";
    private const string ClientId = "spiffe://example.org/greeter/client";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(45);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Samples_OneMinuteSvids_ClientCallsServerAcrossRotationOfBothWithZeroFailures()
    {
        var serverExe = await RealPathAsync(SampleProcess.AppHost("Greeter.Server"));
        var clientExe = await RealPathAsync(SampleProcess.AppHost("Greeter.Client"));
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path);
        var socket = domain.Socket;

        // Both samples run as this uid: the agent tells them apart by unix:path, the target of /proc/<pid>/exe.
        // 1 minute is the shortest X509-SVID TTL an entry may have; the agent renews at about half of it.
        foreach (var (id, exe) in new[] { (ServerId, serverExe), (ClientId, clientExe) })
        {
            var created = await domain.AdminAsync("entry", "create", "--spiffe-id", id, "--parent-id", domain.AgentId, "--selector", $"unix:path:{exe}", "--x509-svid-ttl", "1m", "--owner", "ops");
            Assert.True(created.ExitCode == 0, created.StdErr);
        }

        var port = FreePorts.Next();
        await using var greeterServer = SampleProcess.Start(serverExe, socket, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--client-id", ClientId);
        await greeterServer.WaitForOutputAsync($"server SVID {ServerId}", StartTimeout);
        await WaitListeningAsync(port, greeterServer);

        // 55 s of calls every 50 ms: with 1-minute SVIDs renewed at about 30 s, both sides rotate within the run, and
        // the client's 10 s connection lifetime puts both new SVIDs on the wire.
        await using var greeterClient = SampleProcess.Start(clientExe, socket, "--url", $"https://127.0.0.1:{port}", "--server-id", ServerId, "--duration-seconds", "55", "--interval-ms", "50");
        var exitCode = await greeterClient.WaitForExitAsync(TimeSpan.FromSeconds(100));
        var clientOutput = greeterClient.Output;
        var serverOutput = greeterServer.Output;
        var diagnostics = $"client:\n{clientOutput}\nserver:\n{serverOutput}";

        var summary = SummaryPattern().Match(clientOutput);
        output.WriteLine($"{summary.Value}; client SVIDs {Distinct(clientOutput, $@"client SVID {Regex.Escape(ClientId)} serial (\w+)")}, server SVIDs {Distinct(serverOutput, $@"server SVID {Regex.Escape(ServerId)} serial (\w+)")}");
        Assert.True(summary.Success, diagnostics);
        Assert.Equal("0", summary.Groups[2].Value);
        Assert.True(long.Parse(summary.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > 300, diagnostics);
        Assert.True(exitCode == 0, diagnostics);
        Assert.DoesNotContain("call failed", clientOutput, StringComparison.Ordinal);

        // Both SVIDs rotated, and each side saw the other's new certificate on a new connection.
        Assert.True(Distinct(clientOutput, $@"client SVID {Regex.Escape(ClientId)} serial (\w+)") >= 2, diagnostics);
        Assert.True(Distinct(serverOutput, $@"server SVID {Regex.Escape(ServerId)} serial (\w+)") >= 2, diagnostics);
        Assert.True(Distinct(clientOutput, $@"connected to {Regex.Escape(ServerId)}, server certificate (\w+)") >= 2, diagnostics);
        Assert.True(Distinct(clientOutput, $@"hello {Regex.Escape(ClientId)}, your certificate is (\w+)") >= 2, diagnostics);
    }

    private static int Distinct(string output, string pattern) =>
        Regex.Matches(output, pattern).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).Count();

    private static async Task<string> RealPathAsync(string path) =>
        (await ExternalTool.RunAsync("realpath", [path])).EnsureSuccess("realpath").StdOut.Trim();


    private static async Task WaitListeningAsync(int port, SampleProcess process)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(TimeSpan.FromSeconds(2));
                return;
            }
            catch (Exception ex) when (ex is SocketException or TimeoutException)
            {
                Assert.False(process.HasExited, $"the server sample exited:\n{process.Output}");
                Assert.True(DateTime.UtcNow < deadline, $"the server sample is not listening on {port}:\n{process.Output}");
                await Task.Delay(100);
            }
        }
    }

    [GeneratedRegex(@"calls (\d+) failed (\d+)")]
    private static partial Regex SummaryPattern();
}
