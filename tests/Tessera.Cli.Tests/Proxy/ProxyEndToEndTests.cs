using System.Text.RegularExpressions;
using Tessera.Cli.Tests.Helper;

namespace Tessera.Cli.Tests.Proxy;

/// <summary>
/// Two unmodified plain programs — curl and python's http.server — talk through <c>tessera proxy outbound</c> →
/// <c>tessera proxy inbound</c> with mutual SPIFFE authentication, from a real server and agent. One uid holds three
/// identities (client, server, intruder); each proxy picks its own with <c>--spiffe-id</c>.
/// </summary>
public sealed partial class ProxyEndToEndTests : IDisposable
{
    private const string ClientId = "spiffe://example.org/e2e/client";
    private const string ServerId = "spiffe://example.org/e2e/server";
    private const string IntruderId = "spiffe://example.org/e2e/intruder";
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ProxyPair_CurlToPythonHttpServer_AuthenticatedRefusedAndAcrossRotation()
    {
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path);
        await domain.CreateEntryAsync(ClientId);
        await domain.CreateEntryAsync(ServerId);
        await domain.CreateEntryAsync(IntruderId);
        await domain.WaitForSvidsAsync(ClientId, ServerId, IntruderId);

        var www = Directory.CreateDirectory(Path.Combine(_dir.Path, "www")).FullName;
        await File.WriteAllTextAsync(Path.Combine(www, "hello.txt"), "hello through the proxies\n");
        var httpPort = FreePorts.Next();
        await using var http = BackgroundProcess.Start("python3", ["-u", "-m", "http.server", httpPort.ToString(), "--bind", "127.0.0.1", "--directory", www]);

        await http.WaitForAsync(o => o.Contains("Serving HTTP", StringComparison.Ordinal), Ready, "python http.server listening");
        var inboundPort = FreePorts.Next();
        await using var inbound = StartProxy("inbound", "--listen", $"127.0.0.1:{inboundPort}", "--forward", $"127.0.0.1:{httpPort}", "--allow", ClientId, "--spiffe-id", ServerId, "--socket", domain.Socket);
        var outboundPort = FreePorts.Next();
        await using var outbound = StartProxy("outbound", "--listen", $"127.0.0.1:{outboundPort}", "--upstream", $"127.0.0.1:{inboundPort}", "--expect", ServerId, "--spiffe-id", ClientId, "--socket", domain.Socket);
        await inbound.WaitForAsync(o => o.Contains("proxy inbound: listening", StringComparison.Ordinal), Ready, "inbound listening");
        await outbound.WaitForAsync(o => o.Contains("proxy outbound: listening", StringComparison.Ordinal), Ready, "outbound listening");

        // The allowed pair: curl speaks plain HTTP to the outbound proxy, the server sees plain HTTP from the inbound one.
        var ok = await Curl(outboundPort);
        Assert.Equal("hello through the proxies\n|200", ok.StdOut);
        await inbound.WaitForAsync(o => o.Contains($"inbound #1: {ClientId} from 127.0.0.1:", StringComparison.Ordinal), Ready, "connection line");
        Assert.Contains($"-> {ServerId} at 127.0.0.1:{inboundPort}", outbound.Output, StringComparison.Ordinal);

        // An outbound proxy expecting another upstream ID refuses the real server: curl gets an error, the proxy says why.
        var wrongPort = FreePorts.Next();
        await using (var wrong = StartProxy("outbound", "--listen", $"127.0.0.1:{wrongPort}", "--upstream", $"127.0.0.1:{inboundPort}", "--expect", "spiffe://example.org/e2e/other", "--spiffe-id", ClientId, "--socket", domain.Socket))
        {
            await wrong.WaitForAsync(o => o.Contains("listening", StringComparison.Ordinal), Ready, "wrong-expect proxy listening");
            var failed = await Curl(wrongPort);
            Assert.NotEqual(0, failed.ExitCode);
            await wrong.WaitForAsync(o => o.Contains($"outbound #1: upstream 127.0.0.1:{inboundPort} refused: TLS server {ServerId} refused: peer {ServerId} is not authorized (expected spiffe://example.org/e2e/other)", StringComparison.Ordinal), Ready, "refusal line");
        }

        // A client with an ID the inbound proxy does not allow is refused, with one exact log line.
        var intruderPort = FreePorts.Next();
        await using (var intruder = StartProxy("outbound", "--listen", $"127.0.0.1:{intruderPort}", "--upstream", $"127.0.0.1:{inboundPort}", "--expect", ServerId, "--spiffe-id", IntruderId, "--socket", domain.Socket))
        {
            await intruder.WaitForAsync(o => o.Contains("listening", StringComparison.Ordinal), Ready, "intruder proxy listening");
            var refused = await Curl(intruderPort);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.DoesNotContain("hello", refused.StdOut, StringComparison.Ordinal);
            await inbound.WaitForAsync(o => RefusedPattern().IsMatch(o), Ready, "intruder refusal line");
            Assert.Matches(RefusedPattern(), inbound.Output);
        }

        // openssl s_client, a client nobody here wrote: with the client SVID it talks HTTP through the inbound proxy; without one the handshake fails.
        var clientFiles = Path.Combine(_dir.Path, "client");
        await using (var files = BackgroundProcess.StartTessera("helper", "run", "--write", clientFiles, "--spiffe-id", ClientId, "--socket", domain.Socket))
        {
            await files.WaitForAsync(o => o.Contains("helper: wrote", StringComparison.Ordinal), Ready, "client files");
        }

        var request = "GET /hello.txt HTTP/1.0\r\n\r\n";
        string[] verify = ["s_client", "-quiet", "-connect", $"127.0.0.1:{inboundPort}", "-CAfile", Path.Combine(clientFiles, "bundle.pem"), "-verify_return_error"];
        var withSvid = await ExternalTool.RunAsync("openssl", [.. verify, "-cert", Path.Combine(clientFiles, "svid.pem"), "-key", Path.Combine(clientFiles, "svid.key")], request, timeout: Ready);
        Assert.Contains("hello through the proxies", withSvid.StdOut, StringComparison.Ordinal);
        var without = await ExternalTool.RunAsync("openssl", verify, request, timeout: Ready);
        Assert.DoesNotContain("hello", without.StdOut, StringComparison.Ordinal);
        // With TLS 1.3 the client finishes its side of the handshake before the server checks the (missing)
        // certificate, so openssl's exit code varies; what counts is that no byte of the service comes back.
        await inbound.WaitForAsync(o => o.Contains(": TLS client (no SPIFFE ID) refused: the client presented no certificate", StringComparison.Ordinal), Ready, "no-certificate refusal line");

        // Both proxies rotate their SVIDs (60 s TTL, about 30 s in) while requests keep flowing: none fails.
        var failures = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(100);
        while (!(Rotated(inbound.Output, "inbound") && Rotated(outbound.Output, "outbound")) && DateTime.UtcNow < deadline)
        {
            var result = await Curl(outboundPort);
            if (result.StdOut != "hello through the proxies\n|200")
            {
                failures.Add(result.StdOut + result.StdErr);
            }

            await Task.Delay(500);
        }

        Assert.True(Rotated(inbound.Output, "inbound") && Rotated(outbound.Output, "outbound"), $"no rotation within 60 s:\n{inbound.Output}\n{outbound.Output}");
        Assert.Empty(failures);
        Assert.Equal("hello through the proxies\n|200", (await Curl(outboundPort)).StdOut);

        Assert.Equal(0, await outbound.StopAsync());
        Assert.Equal(0, await inbound.StopAsync());
        Assert.Contains("proxy inbound: stopped", inbound.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("give --allow SPIFFE-ID or --allow-trust-domain TD (repeatable): with neither, no peer could be accepted", "inbound", "--listen", "127.0.0.1:1", "--forward", "127.0.0.1:2")]
    [InlineData("--allow: 'web' is not a SPIFFE ID (spiffe://trust-domain/path)", "inbound", "--listen", "127.0.0.1:1", "--forward", "127.0.0.1:2", "--allow", "web")]
    [InlineData("--listen: 'localhost' is not an IP address (listen on 127.0.0.1 for a sidecar)", "outbound", "--listen", "localhost:1", "--upstream", "127.0.0.1:2", "--expect", "spiffe://example.org/x")]
    [InlineData("--upstream: '127.0.0.1' is not host:port (e.g. 127.0.0.1:8443)", "outbound", "--listen", "127.0.0.1:1", "--upstream", "127.0.0.1", "--expect", "spiffe://example.org/x")]
    public async Task Proxy_BadFlags_ExitsTwoWithExactMessage(string message, params string[] flags)
    {
        var result = await TesseraProcess.RunAsync(["proxy", .. flags, "--socket", "/nonexistent/api.sock"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message + "\n", result.StdErr, StringComparison.Ordinal);
    }

    private static BackgroundProcess StartProxy(params string[] arguments) => BackgroundProcess.StartTessera(["proxy", .. arguments, "--timeout", "30s"]);

    private static bool Rotated(string output, string direction) => Regex.Count(output, $"proxy {direction}: using ") >= 2;

    private static Task<ExternalTool.Result> Curl(int port) =>
        ExternalTool.RunAsync("curl", ["-sS", "--max-time", "10", "-w", "|%{http_code}", $"http://127.0.0.1:{port}/hello.txt"], timeout: TimeSpan.FromSeconds(20));

    [GeneratedRegex(@"inbound #\d+: refused 127\.0\.0\.1:\d+: TLS client spiffe://example\.org/e2e/intruder refused: peer spiffe://example\.org/e2e/intruder is not authorized \(expected spiffe://example\.org/e2e/client\)\n")]
    private static partial Regex RefusedPattern();
}
