using System.Text.Json;
using Tessera.Server.Oidc;
using Tessera.Server.Tests.Ca;

namespace Tessera.Server.Tests.Oidc;

public sealed class OidcDocumentsTests
{
    [Fact]
    public async Task Discovery_Issuer_NamesKeysUriAndAlgorithms()
    {
        using var ca = await CaTests.CreateAsync(ManualClock.AtEpoch());

        using var document = JsonDocument.Parse(OidcDocuments.Discovery("https://oidc.example.org", ca.JwtBundle));

        var root = document.RootElement;
        Assert.Equal("https://oidc.example.org", root.GetProperty("issuer").GetString());
        Assert.Equal("https://oidc.example.org/keys", root.GetProperty("jwks_uri").GetString());
        Assert.Equal(["id_token"], Strings(root.GetProperty("response_types_supported")));
        Assert.Equal(["public"], Strings(root.GetProperty("subject_types_supported")));
        Assert.Equal(["ES256"], Strings(root.GetProperty("id_token_signing_alg_values_supported")));
    }

    [Fact]
    public async Task Jwks_EveryBundleKeyWithSigUseAndAlgorithmAndNoPrivatePart()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);

        // Past the point where the next key is prepared: the bundle then holds two JWT keys, both published.
        for (var i = 0; i < 48 && ca.JwtBundle.Authorities.Count < 2; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(30));
            await ca.TickAsync(CancellationToken.None);
        }

        using var document = JsonDocument.Parse(OidcDocuments.Jwks(ca.JwtBundle));

        var keys = document.RootElement.GetProperty("keys").EnumerateArray().ToArray();
        Assert.Equal(2, keys.Length);
        Assert.Equal(ca.JwtBundle.Authorities.Select(a => a.KeyId), keys.Select(k => k.GetProperty("kid").GetString()));
        Assert.All(keys, k =>
        {
            Assert.Equal("EC", k.GetProperty("kty").GetString());
            Assert.Equal("P-256", k.GetProperty("crv").GetString());
            Assert.Equal("sig", k.GetProperty("use").GetString());
            Assert.Equal("ES256", k.GetProperty("alg").GetString());
            Assert.False(k.TryGetProperty("d", out _));
        });
    }

    [Fact]
    public async Task SignJwtSvid_IssuerConfigured_CarriesIssAndAFreshJti()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock, new Tessera.Server.Ca.CaOptions { TrustDomain = Tessera.Spiffe.Ids.TrustDomain.Parse("example.org"), JwtIssuer = "https://oidc.example.org" });

        var first = Claims(ca.SignJwtSvid(CaTests.Workload, ["aud"]));
        var second = Claims(ca.SignJwtSvid(CaTests.Workload, ["aud"]));

        Assert.Equal("https://oidc.example.org", first.GetProperty("iss").GetString());
        Assert.Equal(22, first.GetProperty("jti").GetString()!.Length); // 128 bits, base64url without padding
        Assert.NotEqual(first.GetProperty("jti").GetString(), second.GetProperty("jti").GetString());
    }

    private static JsonElement Claims(string token)
    {
        var payload = token.Split('.')[1];
        return JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(payload)).RootElement.Clone();
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];
}
