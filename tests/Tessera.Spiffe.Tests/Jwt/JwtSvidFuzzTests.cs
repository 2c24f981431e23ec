using System.Text;
using Tessera.Spiffe.Bundles.Internal;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.Tests.Jwt;

/// <summary>Random and mutated tokens only ever produce failed results: no exception, nothing accepted by accident.</summary>
public sealed class JwtSvidFuzzTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \u00e9\0";
    private const string JsonNoise = "{}[]\",:0123456789.eE+-tfn\\u \u00ff";

    [Fact]
    public void Validate_RandomTokens_FailedResultsOnly()
    {
        var random = new Random(20261123);
        for (var i = 0; i < 3000; i++)
        {
            var length = random.Next(0, 200);
            var chars = new char[length];
            for (var j = 0; j < length; j++)
            {
                chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            AssertRejected(new string(chars));
        }
    }

    [Fact]
    public void Validate_MutatedValidTokens_FailedResultsOnly()
    {
        var random = new Random(7);
        var originals = new[]
        {
            new TokenBuilder().Sign(TestKeys.P256),
            new TokenBuilder().WithHeader("alg", "PS256").WithHeader("kid", "rsa").Sign(TestKeys.Rsa2048),
            new TokenBuilder().WithHeader("alg", "ES512").WithHeader("kid", "k521").Sign(TestKeys.P521),
        };
        for (var i = 0; i < 3000; i++)
        {
            var original = originals[i % originals.Length];
            var chars = original.ToCharArray().ToList();
            for (var m = random.Next(1, 4); m > 0; m--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(4))
                {
                    case 0: chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                    case 1: chars.RemoveAt(at); break;
                    case 2: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    default: chars[at] = (char)(chars[at] ^ (1 << random.Next(7))); break;
                }
            }

            var mutated = new string([.. chars]);
            if (mutated != original)
            {
                AssertRejected(mutated);
            }
        }
    }

    [Fact]
    public void Validate_MutatedHeaderAndClaimsJson_NoExceptionAndUnsignedNeverValid()
    {
        // Mutate the JSON itself and re-encode it, so the mutations reach the JSON, header and claim checks
        // instead of stopping at base64url. Half are re-signed with the right key to reach the time and
        // audience checks too; those may be valid, the others never.
        var random = new Random(99);
        var builder = new TokenBuilder().With("nbf", TokenBuilder.Now.ToUnixTimeSeconds()).With("jti", "x");
        var header = builder.Header.ToJsonString();
        var claims = builder.Claims.ToJsonString();
        for (var i = 0; i < 3000; i++)
        {
            var mutateHeader = random.Next(2) == 0;
            var h = mutateHeader ? Mutate(header, random) : header;
            var c = mutateHeader ? claims : Mutate(claims, random);
            var input = Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(h)) + "." + Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(c));
            var resign = random.Next(2) == 0;
            var signature = resign
                ? TestKeys.P256.SignData(Encoding.ASCII.GetBytes(input), System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                : new byte[64];
            var token = input + "." + Base64UrlStrict.Encode(signature);

            var result = Run(token);
            if (!resign)
            {
                Assert.False(result.IsValid, token);
            }
        }
    }

    private static string Mutate(string json, Random random)
    {
        var chars = json.ToCharArray().ToList();
        for (var m = random.Next(1, 3); m > 0; m--)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(3))
            {
                case 0: chars[at] = JsonNoise[random.Next(JsonNoise.Length)]; break;
                case 1: chars.RemoveAt(at); break;
                default: chars.Insert(at, JsonNoise[random.Next(JsonNoise.Length)]); break;
            }
        }

        return new string([.. chars]);
    }

    private static void AssertRejected(string token)
    {
        var result = Run(token);
        Assert.False(result.IsValid, token);
        Assert.NotEqual(JwtSvidError.None, result.Error);
        Assert.False(string.IsNullOrEmpty(result.Message));
    }

    private static JwtSvidValidationResult Run(string token)
    {
        try
        {
            return JwtAssert.Validate(token, TimeSpan.FromSeconds(30));
        }
        catch (Exception ex)
        {
            Assert.Fail($"Validate threw {ex.GetType().Name} for token '{token}': {ex}");
            throw;
        }
    }
}
