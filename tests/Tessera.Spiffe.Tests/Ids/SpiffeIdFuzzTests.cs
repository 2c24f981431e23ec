using System.Text;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Tests.Ids;

/// <summary>Random and mutated inputs: parsing either succeeds with a round-tripping canonical ID or throws FormatException.</summary>
public sealed class SpiffeIdFuzzTests
{
    private static readonly string[] Seeds =
    [
        "spiffe://example.org/ns/prod/sa/default",
        "spiffe://example.org",
        "spiffe://a.b-c_d/x/y.z",
    ];

    private const string Alphabet = "abcXYZ019._-/:%?#@ \t\u00e4\u0000spiffe";

    [Fact]
    public void Parse_MutatedInputs_OnlyFormatExceptionOrValidId()
    {
        var random = new Random(20261123);
        for (var i = 0; i < 50_000; i++)
        {
            var input = Mutate(Seeds[random.Next(Seeds.Length)], random);
            AssertParsesOrRejects(input);
        }
    }

    [Fact]
    public void Parse_RandomStrings_OnlyFormatExceptionOrValidId()
    {
        var random = new Random(7);
        var builder = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            builder.Clear().Append(random.Next(4) == 0 ? string.Empty : "spiffe://");
            var length = random.Next(0, 40);
            for (var j = 0; j < length; j++)
            {
                builder.Append(random.Next(10) == 0 ? (char)random.Next(0, 0xFFFF) : Alphabet[random.Next(Alphabet.Length)]);
            }

            AssertParsesOrRejects(builder.ToString());
        }
    }

    private static void AssertParsesOrRejects(string input)
    {
        SpiffeId id;
        try
        {
            id = SpiffeId.Parse(input);
        }
        catch (FormatException ex)
        {
            Assert.False(string.IsNullOrEmpty(ex.Message));
            Assert.False(SpiffeId.TryParse(input, out _));
            return;
        }

        // Anything accepted is canonical and satisfies every rule independently re-checked here.
        Assert.Equal(input, id.ToString());
        Assert.StartsWith("spiffe://", input, StringComparison.Ordinal);
        Assert.All(id.TrustDomain.Name, c => Assert.True(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_'));
        Assert.All(id.Segments, s =>
        {
            Assert.NotEmpty(s);
            Assert.NotEqual(".", s);
            Assert.NotEqual("..", s);
            Assert.All(s, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'));
        });
        Assert.Equal(id, SpiffeId.FromPath(id.TrustDomain, id.Path));
    }

    private static string Mutate(string seed, Random random)
    {
        var chars = new StringBuilder(seed);
        var edits = random.Next(1, 4);
        for (var e = 0; e < edits; e++)
        {
            var position = chars.Length == 0 ? 0 : random.Next(chars.Length);
            switch (random.Next(4))
            {
                case 0 when chars.Length > 0:
                    chars.Remove(position, 1);
                    break;
                case 1:
                    chars.Insert(position, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2 when chars.Length > 0:
                    chars[position] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                default:
                    chars.Insert(position, chars.ToString(0, Math.Min(chars.Length, random.Next(1, 6))));
                    break;
            }
        }

        return chars.ToString();
    }
}
