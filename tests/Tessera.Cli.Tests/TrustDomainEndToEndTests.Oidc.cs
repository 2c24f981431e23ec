using System.Text.Json.Nodes;

namespace Tessera.Cli.Tests;

public sealed partial class TrustDomainEndToEndTests
{
    [Fact]
    public async Task Workload_JwtSvid_VerifiedByJoseThroughTheServersOidcDiscovery()
    {
        // A relying party that knows nothing of SPIFFE: jose reads the real server's discovery document, fetches its
        // JWK Set and verifies a JWT-SVID the workload got from the agent over the Workload API.
        var oidcPort = FreePorts.Next();
        var issuer = $"http://127.0.0.1:{oidcPort}";
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path, "--oidc-address", $"127.0.0.1:{oidcPort}");
        var (server, bundle, socket) = (domain.Server, Path.Combine(_dir.Path, "bundle.json"), domain.Socket);
        Assert.Equal(0, (await domain.AdminAsync("entry", "create", "--spiffe-id", "spiffe://example.org/e2e/caller", "--parent-id", domain.AgentId, "--selector", $"unix:uid:{domain.Uid}", "--owner", "ops")).ExitCode);
        await UntilFetchedAsync(socket, "spiffe://example.org/e2e/caller");

        var fetched = await TesseraProcess.RunAsync("agent", "api", "fetch", "jwt", "--audience", "https://api.example.org", "--socket", socket, "--timeout", "20s");
        Assert.Equal(0, fetched.ExitCode);
        var token = fetched.StdOut.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[1];
        JsonObject Case(string name, string audience, DateTimeOffset? at = null) =>
            new() { ["name"] = name, ["token"] = token, ["audience"] = audience, ["currentDate"] = at?.ToString("O") };
        var input = new JsonObject
        {
            ["discovery"] = issuer + "/.well-known/openid-configuration",
            ["cases"] = new JsonArray(Case("valid", "https://api.example.org"), Case("wrong-audience", "https://other.example.org"), Case("expired", "https://api.example.org", DateTimeOffset.UtcNow.AddMinutes(10))),
        };
        var run = await ExternalTool.RunAsync("node", [RepoPaths.Interop("jose", "oidc-verify.mjs")], input.ToJsonString());

        Assert.True(run.ExitCode == 0, run.StdErr);
        var results = JsonNode.Parse(run.StdOut)!["results"]!;
        Assert.True(results["valid"]!["ok"]!.GetValue<bool>(), results["valid"]!.ToJsonString());
        Assert.Equal("spiffe://example.org/e2e/caller", results["valid"]!["sub"]!.GetValue<string>());
        Assert.Equal(issuer, results["valid"]!["iss"]!.GetValue<string>());
        Assert.Equal("ERR_JWT_CLAIM_VALIDATION_FAILED", results["wrong-audience"]!["code"]!.GetValue<string>());
        Assert.Equal("ERR_JWT_EXPIRED", results["expired"]!["code"]!.GetValue<string>());

        // The health endpoints stay on the health port: the OIDC listener is the one meant to face outside.
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri(issuer + "/metrics"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync(new Uri($"http://127.0.0.1:{server.HealthPort}/keys"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync(new Uri($"http://127.0.0.1:{server.HealthPort}/metrics"))).StatusCode);

        // Nor on the agent port (HTTP/2 over TLS with the server's SVID, verified against the trust bundle).
        var trust = Tessera.Spiffe.Bundles.SpiffeBundle.Parse(Tessera.Spiffe.Ids.TrustDomain.Parse("example.org"), await File.ReadAllTextAsync(bundle));
        using var handler = new SocketsHttpHandler { SslOptions = Tessera.Spiffe.Tls.SpiffeTls.TlsClientOptions(trust, Tessera.Spiffe.Tls.PeerAuthorizer.Id(Tessera.Spiffe.Ids.SpiffeId.Parse("spiffe://example.org/tessera/server"))) };
        using var agentPort = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20), DefaultRequestVersion = System.Net.HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await agentPort.GetAsync(new Uri($"https://127.0.0.1:{server.AgentPort}/metrics"))).StatusCode);
    }
}
