using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Cli.Tests.Helper;
using Tessera.Spiffe.AspNetCore.Authentication;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.WorkloadApi;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Tests.Revocation;

/// <summary>
/// The deny list end to end, from a real <c>tessera server run</c> and <c>tessera agent run</c>: after
/// <c>tessera revoke svid --serial</c>, a real <c>tessera proxy inbound</c> closes the open connection of the revoked
/// SVID and refuses new ones from it (while the re-issued SVID gets in); after <c>tessera revoke jwt --jti</c>, the
/// SDK's JWT-SVID scheme fed by <see cref="DenyListSource"/> refuses the token with 401.
/// </summary>
public sealed class DenyListEndToEndTests : IDisposable
{
    private const string Audience = "https://api.example.org";
    private static readonly SpiffeId ClientId = SpiffeId.Parse("spiffe://example.org/e2e/client");
    private static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://example.org/e2e/server");
    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Revoke_ProxyClosesAndRefusesTheRevokedSvid_JwtSchemeRefusesTheRevokedJti()
    {
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path);
        foreach (var id in new[] { ClientId, ServerId })
        {
            // A 10-minute TTL: no rotation during the test, so a new client serial can only come from the revocation.
            (await domain.AdminAsync("entry", "create", "--spiffe-id", id.ToString(), "--parent-id", domain.AgentId, "--selector", $"unix:uid:{domain.Uid}", "--owner", "e2e", "--x509-svid-ttl", "10m"))
                .EnsureSuccess("entry create");
        }

        await domain.WaitForSvidsAsync(ClientId.ToString(), ServerId.ToString());
        await using var workloadApi = new WorkloadApiClient(new WorkloadApiClientOptions { Address = domain.Socket, CallTimeout = Ready });
        var context = await workloadApi.FetchX509ContextAsync().WaitAsync(Ready);
        var revokedSvid = context.Svids.Single(s => s.Id == ClientId);
        var serial = revokedSvid.Certificate.SerialNumber;

        using var echo = new LoopbackEchoServer();
        var proxyPort = FreePorts.Next();
        await using var inbound = BackgroundProcess.StartTessera("proxy", "inbound", "--listen", $"127.0.0.1:{proxyPort}", "--forward", $"127.0.0.1:{echo.Port}", "--allow", ClientId.ToString(), "--spiffe-id", ServerId.ToString(), "--socket", domain.Socket, "--timeout", "30s");
        await inbound.WaitForAsync(o => o.Contains("proxy inbound: listening", StringComparison.Ordinal), Ready, "inbound listening");
        Assert.Contains("proxy inbound: watching the agent's deny list (0 revoked credential(s))", inbound.Output, StringComparison.Ordinal);

        await using var open = await ConnectAsync(proxyPort, revokedSvid, context.Bundles);
        Assert.Equal("before", await EchoClient.RoundTripAsync(open, "before", Ready));

        (await domain.AdminAsync("revoke", "svid", "--serial", serial, "--reason", "e2e: deny list")).EnsureSuccess("revoke svid");

        // The open connection is closed by the proxy, with one line naming the serial.
        await inbound.WaitForAsync(o => o.Contains($"inbound #1: closing the connection of {ClientId}: certificate serial {serial} is revoked", StringComparison.Ordinal), Ready, "the close line");
        Assert.True(await EchoClient.IsClosedAsync(open, Ready), "the proxy closed the connection, but the client can still read from it");

        // A new connection with the revoked SVID is refused at the handshake.
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var again = await ConnectAsync(proxyPort, revokedSvid, context.Bundles);
            await EchoClient.RoundTripAsync(again, "again", Ready);
        });
        await inbound.WaitForAsync(o => o.Contains($": TLS client {ClientId} refused: certificate serial {serial} is revoked", StringComparison.Ordinal), Ready, "the refusal line");

        // The SVID the agent re-issued gets in.
        var reissued = await UntilReissuedAsync(workloadApi, serial);
        await using (var fresh = await ConnectAsync(proxyPort, reissued.Svids.Single(s => s.Id == ClientId), reissued.Bundles))
        {
            Assert.Equal("after", await EchoClient.RoundTripAsync(fresh, "after", Ready));
        }

        // JWT-SVIDs: the SDK's bearer scheme, given the agent's deny list, refuses a token once its jti is revoked.
        await using var denyList = await DenyListSource.CreateAsync(new WorkloadApiSourceOptions { Address = domain.Socket, InitialTimeout = Ready });
        Assert.True(denyList.DenyList.IsSerialRevoked(serial));
        var jwtBundles = await workloadApi.FetchJwtBundlesAsync().WaitAsync(Ready);
        await using var app = await StartRelyingPartyAsync(jwtBundles, denyList);
        var uri = new Uri(app.Urls.Single().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/whoami");
        var token = await workloadApi.FetchJwtSvidAsync(Audience, spiffeId: ClientId).WaitAsync(Ready);
        Assert.Equal((HttpStatusCode.OK, ClientId.ToString(), (string?)null), await GetAsync(uri, token.Token));

        (await domain.AdminAsync("revoke", "jwt", "--jti", token.JwtId!, "--expires-at", token.Expiry.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", "e2e: token leaked"))
            .EnsureSuccess("revoke jwt");
        var deadline = DateTime.UtcNow + Ready;
        var (status, body, challenge) = await GetAsync(uri, token.Token);
        while (status == HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            (status, body, challenge) = await GetAsync(uri, token.Token);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(string.Empty, body);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"the token is revoked\"", challenge);
    }

    private static async Task<SslStream> ConnectAsync(int port, X509Svid svid, IX509BundleSource bundles)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port).WaitAsync(Ready);
        var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(SpiffeTls.MtlsClientOptions(new StaticSvidSource(svid), bundles, PeerAuthorizer.Id(ServerId))).WaitAsync(Ready);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync();
            tcp.Dispose();
            throw;
        }
    }

    private static async Task<X509Context> UntilReissuedAsync(WorkloadApiClient client, string revokedSerial)
    {
        var deadline = DateTime.UtcNow + Ready;
        while (true)
        {
            var context = await client.FetchX509ContextAsync().WaitAsync(Ready);
            if (context.Svids.Single(s => s.Id == ClientId).Certificate.SerialNumber != revokedSerial)
            {
                return context;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the agent did not re-issue {ClientId} within {Ready.TotalSeconds} s");
            await Task.Delay(200);
        }
    }

    private static async Task<WebApplication> StartRelyingPartyAsync(IJwtBundleSource jwtBundles, DenyListSource denyList)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAuthentication(SpiffeJwtDefaults.AuthenticationScheme).AddSpiffeJwt(o =>
        {
            o.Audience = Audience;
            o.Bundles = jwtBundles;
            o.DenyList = denyList;
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (HttpContext c) => c.User.FindSpiffeId()?.ToString()).RequireAuthorization();
        await app.StartAsync().WaitAsync(Ready);
        return app;
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Challenge)> GetAsync(Uri uri, string token)
    {
        using var http = new HttpClient { Timeout = Ready };
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request).WaitAsync(Ready);
        var challenge = response.Headers.WwwAuthenticate.Count == 0 ? null : string.Join(", ", response.Headers.GetValues("WWW-Authenticate"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync().WaitAsync(Ready), challenge);
    }
}
