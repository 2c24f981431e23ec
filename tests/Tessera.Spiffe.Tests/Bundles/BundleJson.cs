using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Tests.Jwt;

namespace Tessera.Spiffe.Tests.Bundles;

/// <summary>Builds SPIFFE bundle JSON for tests.</summary>
internal static class BundleJson
{
    private static readonly Lazy<X509Certificate2> LazyEcCa = new(() => TestKeys.CreateCa(TestKeys.P256));
    private static readonly Lazy<X509Certificate2> LazyRsaCa = new(() => TestKeys.CreateCa(TestKeys.Rsa2048));

    public static X509Certificate2 EcCa => LazyEcCa.Value;

    public static X509Certificate2 RsaCa => LazyRsaCa.Value;

    public static JsonObject JwtEntry(string kid, AsymmetricAlgorithm key) => JsonNode.Parse(new JwtAuthority(kid, key).ToJwk())!.AsObject();

    public static JsonObject X509Entry(X509Certificate2 ca)
    {
        var json = new SpiffeBundle(TestKeys.Domain, new X509Bundle(TestKeys.Domain, [ca])).ToJson();
        return JsonNode.Parse(json)!["keys"]![0]!.AsObject().DeepClone().AsObject();
    }

    public static string Set(params JsonNode[] keys) => new JsonObject { ["keys"] = new JsonArray(keys) }.ToJsonString();

    public static SpiffeBundle Parse(string json) => SpiffeBundle.Parse(TestKeys.Domain, json);

    public static void Rejected(string json, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => Parse(json)).Message);
}
