using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Spiffe.AspNetCore.Authentication;
using Tessera.Spiffe.AspNetCore.Http;
using Tessera.Spiffe.AspNetCore.Kestrel;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.WorkloadApi;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Tests;

/// <summary>
/// Certificate-bound JWT-SVIDs across real processes: a workload gets a bound token from a real agent
/// (<c>tessera agent api fetch jwt --bind-x509</c>), and a relying party using the ASP.NET Core SDK
/// (<c>UseSpiffeMtls</c> + <c>AddSpiffeJwt</c>) accepts it over mTLS with that workload's SVID and refuses it when
/// another workload replays it with its own SVID.
/// </summary>
public sealed class CertificateBoundTokenEndToEndTests : IDisposable
{
    private const string Audience = "https://api.example.org";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly SpiffeId Caller = SpiffeId.Parse("spiffe://example.org/e2e/caller");
    private static readonly SpiffeId Thief = SpiffeId.Parse("spiffe://example.org/e2e/thief");
    private static readonly SpiffeId Api = SpiffeId.Parse("spiffe://example.org/e2e/api");

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task BoundToken_FromTheAgent_AcceptedWithItsSvidRefusedWhenReplayedWithAnother()
    {
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path);
        foreach (var id in new[] { Caller, Thief, Api })
        {
            Assert.Equal(0, (await domain.AdminAsync("entry", "create", "--spiffe-id", id.ToString(), "--parent-id", domain.AgentId, "--selector", $"unix:uid:{domain.Uid}", "--owner", "ops")).ExitCode);
        }

        // This test process matches all three entries, so it plays the caller, the thief and the relying party.
        var socket = domain.Socket;
        await using var workloadApi = new WorkloadApiClient(new WorkloadApiClientOptions { Address = socket, CallTimeout = Timeout });
        var context = await UntilAllIdentitiesAsync(workloadApi);
        var jwtBundles = await workloadApi.FetchJwtBundlesAsync().WaitAsync(Timeout);
        X509Svid Svid(SpiffeId id) => context.Svids.Single(s => s.Id == id);

        var fetched = await TesseraProcess.RunAsync("agent", "api", "fetch", "jwt", "--audience", Audience, "--spiffe-id", Caller.ToString(), "--bind-x509", "--socket", socket, "--timeout", "20s");
        Assert.True(fetched.ExitCode == 0, fetched.StdErr);
        var token = fetched.StdOut.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[1];

        await using var app = await StartRelyingPartyAsync(Svid(Api), context.Bundles, jwtBundles);
        var uri = new Uri(app.Urls.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/whoami");

        var (status, body, _) = await GetAsync(Svid(Caller), context.Bundles, uri, token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(Caller.ToString(), body);

        var (replayed, _, challenge) = await GetAsync(Svid(Thief), context.Bundles, uri, token);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"token is bound to a client certificate that does not match the presented certificate\"", challenge);
    }

    private static async Task<X509Context> UntilAllIdentitiesAsync(WorkloadApiClient client)
    {
        var deadline = DateTime.UtcNow + Timeout;
        var last = "nothing fetched";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var context = await client.FetchX509ContextAsync().WaitAsync(Timeout);
                if (new[] { Caller, Thief, Api }.All(id => context.Svids.Any(s => s.Id == id)))
                {
                    return context;
                }

                last = context.ToString();
            }
            catch (WorkloadApiException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"the agent did not serve all three identities within {Timeout}: {last}");
    }

    private static async Task<WebApplication> StartRelyingPartyAsync(X509Svid svid, IX509BundleSource x509Bundles, IJwtBundleSource jwtBundles)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.UseSpiffeMtls(new StaticSvidSource(svid), x509Bundles, PeerAuthorizer.MemberOf(TrustDomain.Parse("example.org")))));
        builder.Services.AddAuthentication(SpiffeJwtDefaults.AuthenticationScheme).AddSpiffeJwt(o =>
        {
            o.Audience = Audience;
            o.Bundles = jwtBundles;
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (HttpContext c) => c.User.FindSpiffeId()?.ToString()).RequireAuthorization();
        await app.StartAsync().WaitAsync(Timeout);
        return app;
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Challenge)> GetAsync(X509Svid svid, IX509BundleSource bundles, Uri uri, string token)
    {
        using var http = new HttpClient(SpiffeHttpHandler.Create(new StaticSvidSource(svid), bundles, PeerAuthorizer.Id(Api))) { Timeout = Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request).WaitAsync(Timeout);
        var challenge = response.Headers.WwwAuthenticate.Count == 0 ? null : string.Join(", ", response.Headers.GetValues("WWW-Authenticate"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync().WaitAsync(Timeout), challenge);
    }
}
