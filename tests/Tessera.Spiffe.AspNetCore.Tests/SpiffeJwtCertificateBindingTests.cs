using System.Net;
using Tessera.Spiffe.AspNetCore.Authentication;
using Tessera.Spiffe.AspNetCore.Http;
using Tessera.Spiffe.AspNetCore.Kestrel;
using Tessera.Spiffe.AspNetCore.Tests.Hosting;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.AspNetCore.Tests;

/// <summary>
/// Certificate-bound JWT-SVIDs (cnf.x5t#S256, RFC 8705 §3) through the SpiffeJwt scheme over real mutual TLS: accepted
/// only from the client whose certificate the token names.
/// </summary>
public sealed class SpiffeJwtCertificateBindingTests : IDisposable
{
    private static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://example.org/server");

    private readonly TestCa _ca = TestCa.CreateRoot();
    private readonly X509Bundle _bundle;
    private readonly TokenMint _mint = new();

    public SpiffeJwtCertificateBindingTests()
    {
        _bundle = new X509Bundle(TrustDomain.Parse("example.org"), [_ca.Certificate]);
    }

    [Fact]
    public async Task BoundToken_OverMtlsWithTheBoundCertificate_200()
    {
        var client = Svid("/client");
        await using var host = await StartMtlsAsync();
        using var http = MtlsClient(new MutableSvidSource(client));

        var (status, body, _) = await SpiffeJwtAuthenticationTests.GetAsync(http, new Uri(host.BaseAddress, "/jwt"), Bound(client));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("spiffe://example.org/client", body);
    }

    [Fact]
    public async Task BoundToken_ReplayedByAnotherWorkload_401Mismatch()
    {
        var victim = Svid("/client");
        await using var host = await StartMtlsAsync();
        var thiefSvid = Svid("/thief");
        using var thief = MtlsClient(new MutableSvidSource(thiefSvid));

        var (status, _, challenge) = await SpiffeJwtAuthenticationTests.GetAsync(thief, new Uri(host.BaseAddress, "/jwt"), Bound(victim));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"token is bound to a client certificate that does not match the presented certificate\"", challenge);
        Assert.Equal(
            $"Refused JWT-SVID bearer token (CertificateMismatch): token of spiffe://example.org/client is bound to certificate {TokenMint.Thumbprint(victim.Certificate)}, but the client presented {TokenMint.Thumbprint(thiefSvid.Certificate)}",
            Assert.Single(host.Logs.Messages(6105)));
    }

    [Fact]
    public async Task BoundToken_OverTlsWithoutClientCertificate_401NonePresented()
    {
        var client = Svid("/client");
        await using var host = await KestrelHost.StartAsync(l => l.UseSpiffeTls(new MutableSvidSource(Svid("/server"))), Jwt);
        using var http = new HttpClient(SpiffeHttpHandler.CreateTls(_bundle, PeerAuthorizer.Id(ServerId))) { Timeout = KestrelHost.Timeout };

        var (status, _, challenge) = await SpiffeJwtAuthenticationTests.GetAsync(http, new Uri(host.BaseAddress, "/jwt"), Bound(client));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"token is bound to a client certificate; none was presented\"", challenge);
    }

    [Fact]
    public async Task BoundToken_AfterTheClientSvidRotated_401Mismatch()
    {
        var before = Svid("/client");
        var svids = new MutableSvidSource(before);
        var token = Bound(before);
        await using var host = await StartMtlsAsync();
        using var http = MtlsClient(svids);
        Assert.Equal(HttpStatusCode.OK, (await SendClosingAsync(http, host, token)).Status);

        // Rotation: same SPIFFE ID, new key and certificate; the next connection presents the new one.
        svids.Current = Svid("/client");
        var (status, _, challenge) = await SendClosingAsync(http, host, token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"token is bound to a client certificate that does not match the presented certificate\"", challenge);
        Assert.Equal(HttpStatusCode.OK, (await SendClosingAsync(http, host, Bound(svids.Current))).Status);
    }

    [Fact]
    public async Task UnboundToken_OverMtlsWhenBindingRequired_401()
    {
        await using var host = await StartMtlsAsync(o => o.RequireCertificateBound = true);
        using var http = MtlsClient(new MutableSvidSource(Svid("/client")));

        var (status, _, challenge) = await SpiffeJwtAuthenticationTests.GetAsync(http, new Uri(host.BaseAddress, "/jwt"), _mint.Mint());

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer error=\"invalid_token\", error_description=\"the token is not bound to a client certificate\"", challenge);
    }

    public void Dispose()
    {
        _mint.Dispose();
        _ca.Dispose();
    }

    private static async Task<(HttpStatusCode Status, string Body, string? Challenge)> SendClosingAsync(HttpClient http, KestrelHost host, string token)
    {
        // A fresh connection per request, so a rotated client SVID is presented at once.
        http.DefaultRequestHeaders.ConnectionClose = true;
        return await SpiffeJwtAuthenticationTests.GetAsync(http, new Uri(host.BaseAddress, "/jwt"), token);
    }

    private X509Svid Svid(string path)
    {
        using var issued = _ca.IssueSvid(path);
        return X509Svid.ParseRaw(issued.ChainDer, issued.KeyPkcs8);
    }

    private string Bound(X509Svid svid) =>
        _mint.Mint(svid.Id.ToString(), cnf: new Dictionary<string, string> { ["x5t#S256"] = TokenMint.Thumbprint(svid.Certificate) });

    private void Jwt(SpiffeJwtAuthenticationOptions options)
    {
        options.Audience = "api";
        options.Bundles = _mint.Bundle;
    }

    private Task<KestrelHost> StartMtlsAsync(Action<SpiffeJwtAuthenticationOptions>? configure = null) =>
        KestrelHost.StartAsync(
            l => l.UseSpiffeMtls(new MutableSvidSource(Svid("/server")), _bundle, PeerAuthorizer.MemberOf(TrustDomain.Parse("example.org"))),
            o =>
            {
                Jwt(o);
                configure?.Invoke(o);
            });

    private HttpClient MtlsClient(IX509SvidSource svids) =>
        new(SpiffeHttpHandler.Create(svids, _bundle, PeerAuthorizer.Id(ServerId))) { Timeout = KestrelHost.Timeout };
}
