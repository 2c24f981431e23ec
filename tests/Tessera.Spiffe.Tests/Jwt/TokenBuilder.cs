using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Spiffe.Bundles.Internal;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.Jwt.Internal;

namespace Tessera.Spiffe.Tests.Jwt;

/// <summary>Builds tokens with arbitrary headers and claims, to reach every rejection path.</summary>
internal sealed class TokenBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public JsonObject Header { get; } = new() { ["alg"] = "ES256", ["kid"] = "k1", ["typ"] = "JWT" };

    public JsonObject Claims { get; } = new()
    {
        ["sub"] = "spiffe://example.org/workload",
        ["aud"] = "reports",
        ["exp"] = Now.AddMinutes(5).ToUnixTimeSeconds(),
        ["iat"] = Now.ToUnixTimeSeconds(),
    };

    public TokenBuilder With(string claim, JsonNode? value)
    {
        Claims[claim] = value;
        return this;
    }

    public TokenBuilder Without(string claim)
    {
        Claims.Remove(claim);
        return this;
    }

    public TokenBuilder WithHeader(string name, JsonNode? value)
    {
        Header[name] = value;
        return this;
    }

    public TokenBuilder WithoutHeader(string name)
    {
        Header.Remove(name);
        return this;
    }

    /// <summary>Signs with <paramref name="key"/> using the algorithm named by <paramref name="algorithm"/> (default: the header's alg).</summary>
    public string Sign(AsymmetricAlgorithm key, JwtSvidAlgorithm? algorithm = null)
    {
        var input = SigningInput();
        var alg = algorithm ?? (JwsAlgorithms.TryParse((string)Header["alg"]!, out var a) ? a : JwtSvidAlgorithm.ES256);
        return input + "." + Base64UrlStrict.Encode(JwsAlgorithms.Sign(alg, key, Encoding.ASCII.GetBytes(input)));
    }

    public string WithSignature(byte[] signature) => SigningInput() + "." + Base64UrlStrict.Encode(signature);

    public string SigningInput() =>
        Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(Header.ToJsonString())) + "." + Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(Claims.ToJsonString()));

    public static string Encode(string json) => Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(json));
}
