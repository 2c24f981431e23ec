using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Server.Ca;
using Tessera.Server.Configuration;
using Tessera.Server.Hosting;
using Tessera.Server.Oidc;
using Tessera.Server.Tests.Ca;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Oidc;

/// <summary>
/// A relying party that knows nothing of SPIFFE — the `jose` library reading the discovery document and fetching
/// the JWK Set (interop/jose/oidc-verify.mjs) — verifies JWT-SVIDs served by the real OIDC listener (Kestrel, real
/// HTTP), and refuses them for the wrong audience, after expiry and once the signing key left the JWK Set. The
/// CA runs on a manual clock so key removal takes no waiting; jose is told the token's time with currentDate.
/// </summary>
public sealed class OidcJoseTests : IAsyncLifetime
{
    private const string Audience = "https://api.example.org";
    private readonly ManualClock _clock = ManualClock.AtEpoch();
    private CertificateAuthority _ca = null!;
    private WebApplication _app = null!;
    private string _issuer = null!;

    public async Task InitializeAsync()
    {
        var port = FreePorts.Next();
        _issuer = $"http://127.0.0.1:{port}";
        _ca = await CaTests.CreateAsync(_clock, new CaOptions { TrustDomain = TrustDomain.Parse("example.org"), JwtIssuer = _issuer });
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(_ca);
        var options = new ServerOptions
        {
            TrustDomain = TrustDomain.Parse("example.org"), DataDir = "/nonexistent", AdminSocket = "/nonexistent/admin.sock", AdminUids = [],
            HealthAddress = "127.0.0.1:0", Datastore = "sqlite", KeyManager = "memory", CaTtl = TimeSpan.FromHours(24),
            X509SvidTtl = TimeSpan.FromHours(1), JwtSvidTtl = TimeSpan.FromMinutes(5), OidcAddress = $"127.0.0.1:{port}", JwtIssuer = _issuer,
        };
        builder.WebHost.ConfigureKestrel(kestrel => OidcListener.Listen(kestrel, new IPEndPoint(IPAddress.Loopback, port), options));
        _app = builder.Build();
        _app.UseListenerRouting();
        _app.MapOidcDiscovery(_issuer);
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _ca.Dispose();
    }

    [Fact]
    public async Task Jose_RemoteJwks_AcceptsThenRefusesForAudienceExpiryAndRemovedKey()
    {
        var minted = _clock.GetUtcNow();
        var token = _ca.SignJwtSvid(CaTests.Workload, [Audience]);
        var kid = _ca.JwtKeys.Single().KeyId;
        var during = minted.AddSeconds(1).ToString("O");

        var before = await VerifyAsync(
            Case("valid", token, Audience, during),
            Case("wrong-audience", token, "https://other.example.org", during),
            Case("expired", token, Audience, minted.AddMinutes(6).ToString("O")));

        Assert.Equal(_issuer, before["issuer"]!.GetValue<string>());
        Assert.Equal(_issuer + "/keys", before["jwks_uri"]!.GetValue<string>());
        var valid = before["results"]!["valid"]!;
        Assert.True(valid["ok"]!.GetValue<bool>(), valid.ToJsonString());
        Assert.Equal(CaTests.Workload.ToString(), valid["sub"]!.GetValue<string>());
        Assert.Equal(_issuer, valid["iss"]!.GetValue<string>());
        Assert.Equal(kid, valid["kid"]!.GetValue<string>());
        Assert.Equal(22, valid["jti"]!.GetValue<string>().Length);
        AssertRefused(before["results"]!["wrong-audience"]!, "ERR_JWT_CLAIM_VALIDATION_FAILED", "unexpected \"aud\" claim value");
        AssertRefused(before["results"]!["expired"]!, "ERR_JWT_EXPIRED", "\"exp\" claim timestamp check failed");

        // Rotate until the signing key has left the bundle (its tokens all expired); the JWK Set follows the CA.
        for (var i = 0; i < 200 && _ca.JwtBundle.Authorities.Any(a => a.KeyId == kid); i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(30));
            await _ca.TickAsync(CancellationToken.None);
        }

        Assert.DoesNotContain(_ca.JwtBundle.Authorities, a => a.KeyId == kid);
        var after = await VerifyAsync(Case("removed-key", token, Audience, during));
        AssertRefused(after["results"]!["removed-key"]!, "ERR_JWKS_NO_MATCHING_KEY", "no applicable key found in the JSON Web Key Set");
    }

    [Fact]
    public async Task Listener_OnlyServesTheOidcDocuments()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };

        var discovery = await http.GetAsync(new Uri(_issuer + "/.well-known/openid-configuration"));
        var metrics = await http.GetAsync(new Uri(_issuer + "/metrics"));
        var live = await http.GetAsync(new Uri(_issuer + "/healthz/live"));

        Assert.Equal(HttpStatusCode.OK, discovery.StatusCode);
        Assert.Equal("application/json", discovery.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=60", discovery.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, metrics.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, live.StatusCode);
    }

    private static void AssertRefused(JsonNode result, string code, string message)
    {
        Assert.False(result["ok"]!.GetValue<bool>(), result.ToJsonString());
        Assert.Equal(code, result["code"]!.GetValue<string>());
        Assert.Equal(message, result["message"]!.GetValue<string>());
    }

    private static JsonObject Case(string name, string token, string audience, string currentDate) =>
        new() { ["name"] = name, ["token"] = token, ["audience"] = audience, ["currentDate"] = currentDate };

    private async Task<JsonNode> VerifyAsync(params JsonObject[] cases)
    {
        var script = RepoPaths.Interop("jose", "oidc-verify.mjs");
        if (!Directory.Exists(RepoPaths.Interop("jose", "node_modules", "jose")))
        {
            throw new InvalidOperationException("the jose package is not installed; run `npm ci` in interop/jose (test.sh does)");
        }

        var input = new JsonObject { ["discovery"] = _issuer + "/.well-known/openid-configuration", ["cases"] = new JsonArray(cases) };
        var run = await ExternalTool.RunAsync("node", [script], input.ToJsonString());
        Assert.True(run.ExitCode == 0, run.StdErr);
        return JsonNode.Parse(run.StdOut)!;
    }

}
