using System.Text.Json.Nodes;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.Tests.Jwt;

/// <summary>
/// Runs the `jose` interop scripts twice per test class: once to mint tokens (interop/jose/mint.mjs), once to
/// verify tokens Tessera minted (interop/jose/verify.mjs). Batching keeps the suite fast.
/// </summary>
public sealed class JoseFixture : IAsyncLifetime
{
    public static readonly string[] Algorithms = ["ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512"];

    private static readonly SpiffeId Subject = SpiffeId.Parse("spiffe://example.org/workload");

    /// <summary>Gets the tokens jose minted, by case name.</summary>
    public JsonObject JoseTokens { get; private set; } = [];

    /// <summary>Gets the SPIFFE bundle built from jose's JWKS (plus an X.509 entry, to prove it is skipped).</summary>
    public SpiffeBundle JoseBundle { get; private set; } = null!;

    /// <summary>Gets what jose said about each Tessera-minted token, by case name.</summary>
    public JsonObject JoseVerdicts { get; private set; } = [];

    /// <summary>Gets the Tessera-minted tokens sent to jose with the audience jose checked, by case name.</summary>
    public Dictionary<string, (string Token, string Audience)> TesseraTokens { get; } = [];

    /// <summary>Gets the bundle (as Tessera holds it) whose JSON jose verified against.</summary>
    public SpiffeBundle TesseraBundle { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var script = RepoPaths.Interop("jose", "mint.mjs");
        if (!Directory.Exists(RepoPaths.Interop("jose", "node_modules", "jose")))
        {
            throw new InvalidOperationException("the jose package is not installed; run `npm ci` in interop/jose (test.sh does)");
        }

        await MintWithJoseAsync(script);
        await VerifyWithJoseAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task MintWithJoseAsync(string script)
    {
        var now = TokenBuilder.Now.ToUnixTimeSeconds();
        JsonObject Claims(JsonNode aud, long exp, long iat) => new() { ["sub"] = Subject.ToString(), ["aud"] = aud, ["exp"] = exp, ["iat"] = iat, ["jti"] = "jose-1" };

        // mint.mjs signs with the "<alg>-key" kid when a case has no "kid" member, and with no kid when it is null.
        JsonObject Case(string name, string alg, JsonObject claims, string mode = "sign") =>
            new() { ["name"] = name, ["alg"] = alg, ["claims"] = claims, ["mode"] = mode };
        JsonObject WithKid(JsonObject c, string? kid)
        {
            c["kid"] = kid;
            return c;
        }

        var cases = new JsonArray();
        foreach (var alg in Algorithms)
        {
            cases.Add(Case("valid-" + alg, alg, Claims("reports", now + 300, now)));
        }

        cases.Add(Case("multi-aud", "ES256", Claims(new JsonArray("billing", "reports"), now + 300, now)));
        cases.Add(Case("hs256", "ES256", Claims("reports", now + 300, now), "hs256"));
        cases.Add(Case("none", "ES256", Claims("reports", now + 300, now), "none"));
        cases.Add(Case("wrong-aud", "ES256", Claims("billing", now + 300, now)));
        cases.Add(Case("expired", "ES256", Claims("reports", now - 10, now - 400)));
        cases.Add(WithKid(Case("unknown-kid", "ES256", Claims("reports", now + 300, now)), "rotated-away"));
        cases.Add(WithKid(Case("no-kid", "ES256", Claims("reports", now + 300, now)), null));
        cases.Add(WithKid(Case("alg-swap", "ES384", Claims("reports", now + 300, now)), "ES256-key"));

        var result = (await ExternalTool.RunAsync("node", [script], new JsonObject { ["cases"] = cases }.ToJsonString(), RepoPaths.Interop("jose"))).EnsureSuccess("node mint.mjs");
        var output = JsonNode.Parse(result.StdOut)!.AsObject();
        JoseTokens = output["tokens"]!.AsObject();

        var keys = output["jwks"]!["keys"]!.AsArray();
        keys.Add(JsonNode.Parse(new SpiffeBundle(TestKeys.Domain, new X509Bundle(TestKeys.Domain, [TestKeys.CreateCa(TestKeys.P256)])).ToJson())!["keys"]![0]!.DeepClone());
        JoseBundle = SpiffeBundle.Parse(TestKeys.Domain, new JsonObject { ["keys"] = keys.DeepClone(), ["spiffe_sequence"] = 1 }.ToJsonString());
    }

    private async Task VerifyWithJoseAsync()
    {
        // jose checks exp against the real clock, so these tokens are minted for now.
        var now = DateTimeOffset.UtcNow;
        var signers = Algorithms.Select(alg => Enum.Parse<JwtSvidAlgorithm>(alg)).Select(alg => new JwtSvidSigner(KeyFor(alg), "tessera-" + alg, alg)).ToList();
        var bundle = new SpiffeBundle(
            TestKeys.Domain,
            new X509Bundle(TestKeys.Domain, [TestKeys.CreateCa(TestKeys.Rsa2048)]),
            new JwtBundle(TestKeys.Domain, signers.Select(s => s.Authority)),
            sequence: 42,
            refreshHint: TimeSpan.FromMinutes(5));

        var cases = new JsonArray();
        void Add(string name, string token, string audience)
        {
            TesseraTokens[name] = (token, audience);
            cases.Add(new JsonObject { ["name"] = name, ["token"] = token, ["audience"] = audience });
        }

        foreach (var signer in signers)
        {
            Add("valid-" + signer.Algorithm, signer.Mint(Subject, ["reports"], now, now.AddMinutes(5), jwtId: Guid.NewGuid().ToString()), "reports");
        }

        Add("multi-aud", signers[0].Mint(Subject, ["billing", "reports"], now, now.AddMinutes(5)), "reports");
        Add("wrong-aud", signers[0].Mint(Subject, ["reports"], now, now.AddMinutes(5)), "billing");
        Add("expired", signers[0].Mint(Subject, ["reports"], now.AddMinutes(-10), now.AddMinutes(-5)), "reports");
        using var stranger = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        Add("unknown-kid", new JwtSvidSigner(stranger, "stranger").Mint(Subject, ["reports"], now, now.AddMinutes(5)), "reports");

        TesseraBundle = bundle;
        var input = new JsonObject { ["bundle"] = JsonNode.Parse(bundle.ToJson()), ["cases"] = cases };
        var result = (await ExternalTool.RunAsync("node", [RepoPaths.Interop("jose", "verify.mjs")], input.ToJsonString(), RepoPaths.Interop("jose"))).EnsureSuccess("node verify.mjs");
        JoseVerdicts = JsonNode.Parse(result.StdOut)!.AsObject();
    }

    private static System.Security.Cryptography.AsymmetricAlgorithm KeyFor(JwtSvidAlgorithm algorithm) => algorithm switch
    {
        JwtSvidAlgorithm.ES256 => TestKeys.P256,
        JwtSvidAlgorithm.ES384 => TestKeys.P384,
        JwtSvidAlgorithm.ES512 => TestKeys.P521,
        _ => TestKeys.Rsa2048,
    };
}
