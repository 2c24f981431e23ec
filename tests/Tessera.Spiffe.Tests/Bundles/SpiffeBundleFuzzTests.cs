using System.Text;
using System.Text.Json.Nodes;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Tests.Jwt;

namespace Tessera.Spiffe.Tests.Bundles;

/// <summary>Mutated and random bundle JSON only ever parses or throws <see cref="FormatException"/>.</summary>
public sealed class SpiffeBundleFuzzTests
{
    private const string JsonNoise = "{}[]\",:0123456789.eE+-tfnAQ_=/\\u \u00ff";

    [Fact]
    public void Parse_MutatedValidBundle_ParsesOrFormatException()
    {
        var random = new Random(4242);
        var valid = new JsonObject
        {
            ["keys"] = new JsonArray(BundleJson.X509Entry(BundleJson.EcCa), BundleJson.JwtEntry("k1", TestKeys.P256), BundleJson.JwtEntry("rsa", TestKeys.Rsa2048), BundleJson.JwtEntry("k521", TestKeys.P521)),
            ["spiffe_sequence"] = 5,
            ["spiffe_refresh_hint"] = 60,
        }.ToJsonString();
        for (var i = 0; i < 2500; i++)
        {
            var bytes = Encoding.UTF8.GetBytes(valid).ToList();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes[at] = (byte)JsonNoise[random.Next(JsonNoise.Length - 1)]; break;
                    case 1: bytes.RemoveAt(at); break;
                    case 2: bytes.Insert(at, (byte)JsonNoise[random.Next(JsonNoise.Length - 1)]); break;
                    default: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                }
            }

            ParseOrFormatException([.. bytes]);
        }
    }

    [Fact]
    public void Parse_RandomJwkEntries_ParsesOrFormatException()
    {
        // Random but well-formed JSON, so the entry rules (use, kty, x5c, kid, key members) are exercised.
        var random = new Random(31337);
        string[] names = ["use", "kty", "kid", "x5c", "crv", "x", "y", "n", "e", "alg"];
        string[] strings = ["x509-svid", "jwt-svid", "EC", "RSA", "P-256", "P-521", "AQAB", "AA", "", "k1", "MIIB", "===", "\u0000"];
        for (var i = 0; i < 2500; i++)
        {
            var keys = new JsonArray();
            for (var k = random.Next(0, 4); k > 0; k--)
            {
                var entry = new JsonObject();
                foreach (var name in names.Where(_ => random.Next(2) == 0))
                {
                    entry[name] = random.Next(6) switch
                    {
                        0 => random.Next(-5, 5),
                        1 => new JsonArray(strings[random.Next(strings.Length)]),
                        2 => null,
                        _ => strings[random.Next(strings.Length)],
                    };
                }

                keys.Add(random.Next(10) == 0 ? JsonValue.Create(1) : entry);
            }

            var root = new JsonObject { ["keys"] = keys };
            if (random.Next(3) == 0)
            {
                root["spiffe_sequence"] = random.Next(3) == 0 ? -1 : random.NextInt64();
            }

            ParseOrFormatException(Encoding.UTF8.GetBytes(root.ToJsonString()));
        }
    }

    private static void ParseOrFormatException(byte[] json)
    {
        try
        {
            var bundle = SpiffeBundle.Parse(TestKeys.Domain, json);
            Assert.NotNull(bundle.ToJson());
        }
        catch (FormatException)
        {
            // Expected for most mutations.
        }
        catch (Exception ex)
        {
            Assert.Fail($"Parse threw {ex.GetType().Name} for '{Encoding.UTF8.GetString(json)}': {ex}");
        }
    }
}
