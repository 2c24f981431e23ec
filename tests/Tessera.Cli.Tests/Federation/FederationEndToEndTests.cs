using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;
using Xunit.Abstractions;

namespace Tessera.Cli.Tests.Federation;

/// <summary>
/// Two trust domains on one machine (alpha.test, beta.test), each a real server and agent, federated both ways through
/// their https_spiffe bundle endpoints after a one-time bootstrap with <c>tessera bundle set</c>: a workload in each
/// receives the other's bundle, the two workloads complete mutual TLS each authorizing the other's SPIFFE ID, and a CA
/// rotation in alpha reaches beta's workload without any restart.
/// </summary>
public sealed partial class FederationEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Eventually = TimeSpan.FromSeconds(40);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TwoTrustDomains_FederatedBothWays_MutualTlsAcrossDomainsAndRotationReachesOtherDomain()
    {
        var clock = Stopwatch.StartNew();
        int alphaEndpoint = FreePorts.Next(), betaEndpoint = FreePorts.Next();

        // alpha has a 2-minute CA: its next authority is published at 60 s (+ up to one 10 s rotation tick) and reaches
        // beta on alpha's refresh hint (2m / 12 = 10 s).
        await using var alpha = await ServerProcess.StartAsync(Path.Combine(_dir.Path, "alpha"),
            "--trust-domain", "alpha.test", "--ca-ttl", "2m", "--x509-svid-ttl", "20s", "--jwt-svid-ttl", "20s",
            "--federation-bundle-endpoint-address", $"127.0.0.1:{alphaEndpoint}",
            "--federates-with", $"beta.test https://127.0.0.1:{betaEndpoint}/ https_spiffe spiffe://beta.test/tessera/server");
        await using var beta = await ServerProcess.StartAsync(Path.Combine(_dir.Path, "beta"),
            "--trust-domain", "beta.test",
            "--federation-bundle-endpoint-address", $"127.0.0.1:{betaEndpoint}",
            "--federates-with", $"alpha.test https://127.0.0.1:{alphaEndpoint}/ https_spiffe spiffe://alpha.test/tessera/server");

        // Bootstrap (as with SPIRE): each side is told the other's current bundle once, out of band.
        await BootstrapAsync(from: alpha, to: beta, "alpha.test");
        await BootstrapAsync(from: beta, to: alpha, "beta.test");

        var uid = (await ExternalTool.RunAsync("id", ["-u"])).StdOut.Trim();
        var (alphaAgent, alphaSocket) = await StartAgentWithEntryAsync(alpha, "alpha", "spiffe://alpha.test/client", "beta.test", uid);
        await using var alphaAgentStops = alphaAgent;
        var (betaAgent, betaSocket) = await StartAgentWithEntryAsync(beta, "beta", "spiffe://beta.test/server", "alpha.test", uid);
        await using var betaAgentStops = betaAgent;
        var alphaFiles = Path.Combine(_dir.Path, "alpha-workload");
        var betaFiles = Path.Combine(_dir.Path, "beta-workload");
        await UntilWrittenAsync(alphaSocket, alphaFiles, "beta.test");
        await UntilWrittenAsync(betaSocket, betaFiles, "alpha.test");
        output.WriteLine($"both workloads hold the other's bundle after {clock.Elapsed.TotalSeconds:0.0}s");

        // Mutual TLS across trust domains: each side verifies the peer with the federated bundle and authorizes its exact ID.
        // alpha's SVIDs live 20 s, so its files are fetched again right before each exchange, never reused stale.
        await Fetch(alphaSocket, alphaFiles);
        using var client = X509Svid.Load(Path.Combine(alphaFiles, "svid.pem"), Path.Combine(alphaFiles, "svid.key"));
        using var server = X509Svid.Load(Path.Combine(betaFiles, "svid.pem"), Path.Combine(betaFiles, "svid.key"));
        var alphaBundle = X509Bundle.Load(TrustDomain.Parse("alpha.test"), Path.Combine(betaFiles, "federated", "alpha.test.pem"));
        var betaBundle = X509Bundle.Load(TrustDomain.Parse("beta.test"), Path.Combine(alphaFiles, "federated", "beta.test.pem"));
        var (serverSaw, clientSaw) = await ExchangeAsync(client, betaBundle, PeerAuthorizer.Id(SpiffeId.Parse("spiffe://beta.test/server")), server, alphaBundle, PeerAuthorizer.Id(SpiffeId.Parse("spiffe://alpha.test/client")));
        Assert.Equal("spiffe://alpha.test/client", serverSaw);
        Assert.Equal("spiffe://beta.test/server", clientSaw);

        // The same SVIDs, but the client expects another beta ID: refused during the handshake.
        await Assert.ThrowsAnyAsync<AuthenticationException>(() => ExchangeAsync(client, betaBundle, PeerAuthorizer.Id(SpiffeId.Parse("spiffe://beta.test/other")), server, alphaBundle, PeerAuthorizer.Any()));

        // The same exchange with clients nobody here wrote: openssl verifies each side with the federated bundle alone.
        await Fetch(alphaSocket, alphaFiles);
        var ok = await OpensslExchangeAsync(alphaFiles, betaFiles, Path.Combine(betaFiles, "federated", "alpha.test.pem"));
        Assert.Contains("HTTP/1.0 200 ok", ok, StringComparison.Ordinal);
        Assert.Contains("URI:spiffe://alpha.test/client", ok, StringComparison.Ordinal);
        // beta's own bundle alone does not make alpha's client trusted: the federated bundle is what does.
        await Fetch(alphaSocket, alphaFiles);
        var refused = await OpensslExchangeAsync(alphaFiles, betaFiles, Path.Combine(betaFiles, "bundle.pem"));
        Assert.DoesNotContain("HTTP/1.0 200 ok", refused, StringComparison.Ordinal);
        Assert.Contains("alert unknown ca", refused, StringComparison.Ordinal);

        // alpha's next CA change (its next authority published at half-life, or on a loaded machine that came before the
        // set-up ended, the old authority removed at expiry) reaches beta's workload's federated bundle, with no restart.
        var before = Certificates(await File.ReadAllTextAsync(Path.Combine(betaFiles, "federated", "alpha.test.pem")));
        var rotation = Stopwatch.StartNew();
        var published = before;
        await UntilAsync(async () => !(published = Certificates((await Admin(alpha, "bundle", "show")).StdOut)).SetEquals(before), () => alpha.Output, TimeSpan.FromSeconds(100));
        var publishedAt = rotation.Elapsed;
        await UntilAsync(async () =>
        {
            await Fetch(betaSocket, betaFiles);
            return Certificates(await File.ReadAllTextAsync(Path.Combine(betaFiles, "federated", "alpha.test.pem"))).SetEquals(published);
        }, () => beta.Output);
        var reachedAfter = rotation.Elapsed - publishedAt;
        output.WriteLine($"alpha's bundle went from {before.Count} to {published.Count} authorities after {publishedAt.TotalSeconds:0.0}s of waiting; beta's workload had the new set {reachedAfter.TotalSeconds:0.0}s later; total {clock.Elapsed.TotalSeconds:0.0}s");
        Assert.True(reachedAfter < TimeSpan.FromSeconds(30), $"rotation took {reachedAfter} to reach beta's workload");

        // Only the fetchers change federated bundles after the bootstrap: each update is an audit record on the fetching side.
        Assert.Contains("alpha.test sequence", (await Admin(beta, "audit", "list", "--action", "federation.bundle.update")).StdOut, StringComparison.Ordinal);
        Assert.Contains("beta.test sequence", (await Admin(alpha, "audit", "list", "--action", "federation.bundle.update")).StdOut, StringComparison.Ordinal);
    }

    private async Task BootstrapAsync(ServerProcess from, ServerProcess to, string trustDomain)
    {
        var file = Path.Combine(_dir.Path, trustDomain + ".bootstrap.json");
        await File.WriteAllTextAsync(file, (await Admin(from, "bundle", "show", "--format", "spiffe")).StdOut);
        var set = await Admin(to, "bundle", "set", "--trust-domain", trustDomain, "--path", file);
        Assert.True(set.ExitCode == 0, set.StdErr);
    }

    private async Task<(ServerProcess Agent, string Socket)> StartAgentWithEntryAsync(ServerProcess server, string name, string spiffeId, string federatesWith, string uid)
    {
        var generated = JsonDocument.Parse((await Admin(server, "token", "generate", "--output", "json")).StdOut).RootElement;
        var agentId = generated.GetProperty("agent_spiffe_id").GetString()!;
        var bundle = Path.Combine(_dir.Path, name + ".trust.json");
        await File.WriteAllTextAsync(bundle, (await Admin(server, "bundle", "show", "--format", "spiffe")).StdOut);
        var agent = await ServerProcess.StartAgentAsync(Path.Combine(_dir.Path, name + "-agent"),
            "--trust-domain", name + ".test", "--server-address", $"127.0.0.1:{server.AgentPort}", "--trust-bundle", bundle, "--join-token", generated.GetProperty("token").GetString()!);
        var created = await Admin(server, "entry", "create", "--spiffe-id", spiffeId, "--parent-id", agentId, "--selector", $"unix:uid:{uid}", "--owner", "ops", "--federates-with", federatesWith);
        Assert.True(created.ExitCode == 0, created.StdErr);
        var shown = await Admin(server, "entry", "show");
        Assert.Contains($"Federates with: {federatesWith}", shown.StdOut, StringComparison.Ordinal);
        return (agent, Path.Combine(_dir.Path, name + "-agent", "public", "api.sock"));
    }

    private static async Task UntilWrittenAsync(string socket, string directory, string federated)
    {
        var last = string.Empty;
        await UntilAsync(async () =>
        {
            var result = await Fetch(socket, directory);
            last = result.StdOut + result.StdErr;
            return result.ExitCode == 0 && File.Exists(Path.Combine(directory, "federated", federated + ".pem"));
        }, () => last);
    }

    private static async Task<(string ServerSaw, string ClientSaw)> ExchangeAsync(
        X509Svid clientSvid, IX509BundleSource clientTrust, PeerAuthorizer clientAuthorizes,
        X509Svid serverSvid, IX509BundleSource serverTrust, PeerAuthorizer serverAuthorizes)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serverSide = Task.Run(async () =>
        {
            using var accepted = await listener.AcceptTcpClientAsync(timeout.Token);
            await using var tls = new SslStream(accepted.GetStream());
            await tls.AuthenticateAsServerAsync(SpiffeTls.MtlsServerOptions(new StaticSvidSource(serverSvid), serverTrust, serverAuthorizes), timeout.Token);
            var buffer = new byte[5];
            await tls.ReadExactlyAsync(buffer, timeout.Token);
            await tls.WriteAsync("pong\n"u8.ToArray(), timeout.Token);
            return SpiffeTls.TryGetPeerId(tls.RemoteCertificate, out var peer) ? peer.ToString() : "(none)";
        });

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, timeout.Token);
        await using var client = new SslStream(tcp.GetStream());
        try
        {
            await client.AuthenticateAsClientAsync(SpiffeTls.MtlsClientOptions(new StaticSvidSource(clientSvid), clientTrust, clientAuthorizes), timeout.Token);
        }
        catch
        {
            tcp.Close();
            await Task.WhenAny(serverSide, Task.Delay(TimeSpan.FromSeconds(5)));
            throw;
        }

        await client.WriteAsync("ping\n"u8.ToArray(), timeout.Token);
        var reply = new byte[5];
        await client.ReadExactlyAsync(reply, timeout.Token);
        Assert.Equal("pong\n", Encoding.ASCII.GetString(reply));
        var clientSaw = SpiffeTls.TryGetPeerId(client.RemoteCertificate, out var id) ? id.ToString() : "(none)";
        return (await serverSide.WaitAsync(timeout.Token), clientSaw);
    }

    /// <summary>openssl s_server (beta's SVID, trusting <paramref name="serverTrust"/>, client certificate required) against
    /// openssl s_client (alpha's SVID, trusting its federated beta bundle); returns what the client saw.</summary>
    private static async Task<string> OpensslExchangeAsync(string alphaFiles, string betaFiles, string serverTrust)
    {
        var port = FreePorts.Next();
        var server = ExternalTool.RunAsync("openssl", ["s_server", "-accept", $"127.0.0.1:{port}", "-cert", Path.Combine(betaFiles, "svid.pem"), "-key", Path.Combine(betaFiles, "svid.key"),
            "-CAfile", serverTrust, "-Verify", "1", "-verify_return_error", "-naccept", "1", "-www"], timeout: TimeSpan.FromSeconds(30));
        string[] client = ["s_client", "-connect", $"127.0.0.1:{port}", "-cert", Path.Combine(alphaFiles, "svid.pem"), "-key", Path.Combine(alphaFiles, "svid.key"),
            "-CAfile", Path.Combine(alphaFiles, "federated", "beta.test.pem"), "-verify_return_error", "-quiet"];
        ExternalTool.Result result;
        var attempts = 0;
        do
        {
            // s_server binds shortly after it starts; a refused connection is never accepted, so retrying is safe.
            await Task.Delay(300);
            result = await ExternalTool.RunAsync("openssl", client, stdin: "GET / HTTP/1.0\r\n\r\n", timeout: TimeSpan.FromSeconds(15));
        }
        while (result.StdErr.Contains("Connection refused", StringComparison.Ordinal) && ++attempts < 30);

        await server.WaitAsync(TimeSpan.FromSeconds(30));
        return result.StdOut + result.StdErr;
    }

    private static HashSet<string> Certificates(string pem) =>
        [.. CertificatePattern().Matches(pem).Select(m => string.Concat(m.Groups[1].Value.Where(c => !char.IsWhiteSpace(c))))];

    private static Task<ExternalTool.Result> Admin(ServerProcess server, params string[] args) => TesseraProcess.RunAsync([.. args, "--socket", server.Socket]);

    private static Task<ExternalTool.Result> Fetch(string socket, string directory) =>
        TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", socket, "--write", directory, "--timeout", "20s");

    private static async Task UntilAsync(Func<Task<bool>> condition, Func<string>? describe = null, TimeSpan? within = null)
    {
        var limit = within ?? Eventually;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {limit}: {describe?.Invoke()}");
            await Task.Delay(500);
        }
    }


    [GeneratedRegex("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", RegexOptions.Singleline)]
    private static partial Regex CertificatePattern();
}
