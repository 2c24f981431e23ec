using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Tessera.Agent.Tests.WorkloadApi;
using Tessera.Cli.Tests.Helper;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Cli.Tests.Proxy;

/// <summary>
/// A real <c>tessera proxy outbound</c> process against the agent's real Workload API (hosted in this process over a
/// cache the test fills): the deny list reaches the proxy, which closes a live connection to an upstream whose
/// certificate becomes revoked and refuses it afterwards; against a SPIFFE-only agent it warns once and runs.
/// </summary>
public sealed class ProxyDenyListTests
{
    private const string ClientId = "spiffe://example.org/client";
    private const string ServerId = "spiffe://example.org/server";
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Outbound_UpstreamRevokedWhileConnected_ClosesItAndRefusesItAfterwards()
    {
        await using var agent = await WorkloadApiHost.StartAsync();
        agent.Publish(WorkloadApiHost.Entry("e1", "/client"), WorkloadApiHost.Entry("e2", "/server"));
        await using var x509 = await X509Source.CreateAsync(new WorkloadApiSourceOptions { Address = agent.SocketPath, InitialTimeout = Ready });
        var serverSvid = x509.Context.Svids.Single(s => s.Id.ToString() == ServerId);
        var serial = serverSvid.Certificate.SerialNumber;
        // The upstream of the outbound proxy: an mTLS echo service presenting spiffe://example.org/server.
        using var upstream = new LoopbackEchoServer(async (stream, ct) =>
        {
            var tls = new SslStream(stream, leaveInnerStreamOpen: false);
            await tls.AuthenticateAsServerAsync(SpiffeTls.MtlsServerOptions(new StaticSvidSource(serverSvid), x509, PeerAuthorizer.Any()), ct);
            return tls;
        });

        var port = FreePorts.Next();
        await using var outbound = BackgroundProcess.StartTessera("proxy", "outbound", "--listen", $"127.0.0.1:{port}", "--upstream", $"127.0.0.1:{upstream.Port}", "--expect", ServerId, "--spiffe-id", ClientId, "--socket", agent.SocketPath, "--timeout", "30s");
        await outbound.WaitForAsync(o => o.Contains("proxy outbound: listening", StringComparison.Ordinal), Ready, "outbound listening");
        Assert.Contains("proxy outbound: watching the agent's deny list (0 revoked credential(s))", outbound.Output, StringComparison.Ordinal);

        using var open = new TcpClient();
        await open.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Ready);
        Assert.Equal("ping", await EchoClient.RoundTripAsync(open.GetStream(), "ping", Ready));

        agent.Cache.Update(s => s with { Revoked = s.Revoked.WithSerial(serial, DateTimeOffset.UtcNow.AddHours(1)) });

        await outbound.WaitForAsync(o => o.Contains($"outbound #1: closing the connection of {ServerId}: certificate serial {serial} is revoked", StringComparison.Ordinal), Ready, "the close line");
        Assert.True(await EchoClient.IsClosedAsync(open.GetStream(), Ready), "the proxy closed the connection, but the client can still read from it");

        using var again = new TcpClient();
        await again.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Ready);
        await again.GetStream().WriteAsync("pong"u8.ToArray()).AsTask().WaitAsync(Ready);
        Assert.True(await EchoClient.IsClosedAsync(again.GetStream(), Ready), "a connection to the revoked upstream was let through");
        await outbound.WaitForAsync(o => o.Contains($"outbound #2: upstream 127.0.0.1:{upstream.Port} refused: TLS server {ServerId} refused: certificate serial {serial} is revoked", StringComparison.Ordinal), Ready, "the refusal line");
    }

    [Fact]
    public async Task Inbound_AgentWithoutTesseraExtensions_WarnsOnceAndRuns()
    {
        await using var agent = await WorkloadApiHost.StartAsync(tesseraExtensions: false);
        agent.Publish(WorkloadApiHost.Entry("e2", "/server"));

        var port = FreePorts.Next();
        await using var inbound = BackgroundProcess.StartTessera("proxy", "inbound", "--listen", $"127.0.0.1:{port}", "--forward", "127.0.0.1:9", "--allow", ClientId, "--socket", agent.SocketPath, "--timeout", "30s");
        await inbound.WaitForAsync(o => o.Contains("proxy inbound: listening", StringComparison.Ordinal), Ready, "inbound listening");

        var warning = $"proxy inbound: warning: the agent at {agent.SocketPath} does not serve Tessera's deny list (tessera.workload.v1.TesseraWorkload/WatchDenyList is unimplemented): it is not a Tessera agent, or one older than the deny-list stream; running without a deny list, so revoked but unexpired peers are not refused";
        Assert.Single(inbound.Output.Split('\n'), l => l.Contains(warning, StringComparison.Ordinal));
        Assert.False(inbound.HasExited);
    }
}
