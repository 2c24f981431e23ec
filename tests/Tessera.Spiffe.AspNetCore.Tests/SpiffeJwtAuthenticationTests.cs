using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Tessera.Spiffe.AspNetCore.Authentication;
using Tessera.Spiffe.AspNetCore.Tests.Hosting;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.AspNetCore.Tests;

/// <summary>The SpiffeJwt bearer scheme on a real Kestrel: accepted tokens and every rejection's exact description.</summary>
public sealed class SpiffeJwtAuthenticationTests : IDisposable
{
    private static readonly TimeSpan Timeout = KestrelHost.Timeout;

    private readonly TokenMint _mint = new();

    [Fact]
    public async Task Bearer_ValidToken_200WithTheSpiffeId()
    {
        await using var host = await StartAsync();

        var (status, body, challenge) = await GetAsync(host, "/jwt", _mint.Mint());

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("spiffe://example.org/client", body);
        Assert.Null(challenge);
        Assert.Empty(host.Logs.Messages(6105));
    }

    [Fact]
    public async Task Bearer_RequireSpiffeIdPolicy_AdminAcceptedOthersForbidden()
    {
        await using var host = await StartAsync();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(host, "/jwt/admin", _mint.Mint("spiffe://example.org/admin"))).Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await GetAsync(host, "/jwt/admin", _mint.Mint())).Status);
    }

    [Fact]
    public async Task Bearer_NoToken_401WithABareChallenge()
    {
        await using var host = await StartAsync();

        var (status, _, challenge) = await GetAsync(host, "/jwt", token: null);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Bearer", challenge);
    }

    [Fact]
    public async Task Bearer_WrongAudience_401()
    {
        await AssertRefusedAsync(_mint.Mint(audience: "other-api"), "the token is not for this audience", "AudienceMismatch");
    }

    [Fact]
    public async Task Bearer_Expired_401()
    {
        var now = DateTimeOffset.UtcNow;
        var token = _mint.Signer.Mint(SpiffeId.Parse("spiffe://example.org/client"), ["api"], now.AddMinutes(-10), now.AddMinutes(-5));

        await AssertRefusedAsync(token, "the token expired", "Expired");
    }

    [Fact]
    public async Task Bearer_UnknownKeyId_401()
    {
        using var other = new TokenMint("k2");

        await AssertRefusedAsync(other.Mint(), "the token's signing key is unknown", "AuthorityNotFound");
    }

    [Fact]
    public async Task Bearer_AlgNone_401()
    {
        var token = TokenMint.Encode("""{"alg":"none","kid":"k1","typ":"JWT"}""") + "." + TokenMint.Encode(Payload()) + ".";

        await AssertRefusedAsync(token, "the token's signature algorithm is not allowed", "UnsupportedAlgorithm");
    }

    [Fact]
    public async Task Bearer_Hs256SignedWithThePublicKey_401()
    {
        // The classic algorithm-confusion attack: HMAC keyed with the published public key.
        var input = TokenMint.Encode("""{"alg":"HS256","kid":"k1","typ":"JWT"}""") + "." + TokenMint.Encode(Payload());
        var mac = HMACSHA256.HashData(_mint.Signer.Authority.ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(input));
        var token = input + "." + System.Buffers.Text.Base64Url.EncodeToString(mac);

        await AssertRefusedAsync(token, "the token's signature algorithm is not allowed", "UnsupportedAlgorithm");
    }

    [Fact]
    public async Task Bearer_TamperedSignature_401()
    {
        var token = _mint.Mint();
        var i = token.LastIndexOf('.') + 10;
        var tampered = token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..];

        await AssertRefusedAsync(tampered, "the token signature is invalid", "InvalidSignature");
    }

    [Fact]
    public async Task Bearer_TamperedPayload_401()
    {
        var token = _mint.Mint();
        var parts = token.Split('.');
        var forged = parts[0] + "." + TokenMint.Encode(Payload(subject: "spiffe://example.org/admin")) + "." + parts[2];

        await AssertRefusedAsync(forged, "the token signature is invalid", "InvalidSignature");
    }

    [Fact]
    public async Task Bearer_SubjectOutsideEveryTrustedTrustDomain_401()
    {
        await AssertRefusedAsync(_mint.Mint(subject: "spiffe://evil.org/client"), "the token's trust domain is not trusted", "BundleNotFound");
    }

    [Fact]
    public async Task Bearer_MissingAudience_401()
    {
        var token = _mint.SignRaw("""{"alg":"ES256","kid":"k1","typ":"JWT"}""", $$"""{"sub":"spiffe://example.org/client","exp":{{Exp()}}}""");

        await AssertRefusedAsync(token, "the token has no valid audience", "InvalidAudience");
    }

    [Fact]
    public async Task Bearer_MissingExpiry_401()
    {
        var token = _mint.SignRaw("""{"alg":"ES256","kid":"k1","typ":"JWT"}""", """{"sub":"spiffe://example.org/client","aud":"api"}""");

        await AssertRefusedAsync(token, "the token has no expiry", "MissingExpiry");
    }

    [Fact]
    public async Task Bearer_OversizeHeader_401BeforeParsing()
    {
        var header = $$"""{"alg":"ES256","kid":"k1","typ":"JWT","pad":"{{new string('a', 8 * 1024)}}"}""";
        var token = _mint.SignRaw(header, Payload());

        await AssertRefusedAsync(token, "the token is too large", "TooLarge");
    }

    [Fact]
    public async Task Bearer_UnknownConfirmationMethod_401FailClosed()
    {
        await AssertRefusedAsync(_mint.Mint(cnf: new Dictionary<string, string> { ["jkt"] = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I" }), "the token's confirmation method is not supported (only cnf.x5t#S256 is)", "UnsupportedConfirmation");
    }

    [Fact]
    public async Task Bearer_MalformedThumbprint_401()
    {
        await AssertRefusedAsync(_mint.Mint(cnf: new Dictionary<string, string> { ["x5t#S256"] = "not-a-thumbprint" }), "the token's confirmation (cnf) claim is malformed", "MalformedConfirmation");
    }

    [Fact]
    public async Task Bearer_UnboundTokenWhenBindingRequired_401()
    {
        await AssertRefusedAsync(_mint.Mint(), "the token is not bound to a client certificate", "NotCertificateBound", o => o.RequireCertificateBound = true);
    }

    [Fact]
    public async Task AddSpiffeJwt_NoAudienceNorBundles_HostStartFailsNamingBoth()
    {
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => KestrelHost.StartAsync(_ => { }, _ => { }));

        Assert.Equal(
            "invalid SpiffeJwt authentication options: Audience is required: set it to the audience this service identifies as; Bundles is required: use a JwtSource, a BundleSource or a static JwtBundle/BundleSet",
            ex.Message);
    }

    public void Dispose() => _mint.Dispose();

    internal static async Task<(HttpStatusCode Status, string Body, string? Challenge)> GetAsync(HttpClient client, Uri uri, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request).WaitAsync(Timeout);
        var challenge = response.Headers.WwwAuthenticate.Count == 0 ? null : string.Join(", ", response.Headers.GetValues("WWW-Authenticate"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync().WaitAsync(Timeout), challenge);
    }

    private static long Exp() => DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();

    private static string Payload(string subject = "spiffe://example.org/client") => $$"""{"sub":"{{subject}}","aud":"api","exp":{{Exp()}}}""";

    private static async Task<(HttpStatusCode Status, string Body, string? Challenge)> GetAsync(KestrelHost host, string path, string? token)
    {
        using var client = new HttpClient { Timeout = Timeout };
        return await GetAsync(client, new Uri(host.BaseAddress, path), token);
    }

    private Task<KestrelHost> StartAsync(Action<SpiffeJwtAuthenticationOptions>? configure = null) =>
        KestrelHost.StartAsync(_ => { }, o =>
        {
            o.Audience = "api";
            o.Bundles = _mint.Bundle;
            configure?.Invoke(o);
        });

    private async Task AssertRefusedAsync(string token, string description, string error, Action<SpiffeJwtAuthenticationOptions>? configure = null)
    {
        await using var host = await StartAsync(configure);

        var (status, body, challenge) = await GetAsync(host, "/jwt", token);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(string.Empty, body);
        Assert.Equal($"Bearer error=\"invalid_token\", error_description=\"{description}\"", challenge);
        var line = Assert.Single(host.Logs.Messages(6105));
        Assert.StartsWith($"Refused JWT-SVID bearer token ({error}): ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(token, line, StringComparison.Ordinal);
        if (token.Split('.')[^1] is { Length: > 0 } signature)
        {
            Assert.DoesNotContain(signature, line, StringComparison.Ordinal);
        }
    }
}
