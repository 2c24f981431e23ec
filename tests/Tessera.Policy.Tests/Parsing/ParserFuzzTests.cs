using System.Text;
using Tessera.Policy.Parsing;

namespace Tessera.Policy.Tests.Parsing;

/// <summary>Mutated and random policy text: parsing either succeeds or throws <see cref="PolicyParseException"/>, nothing else.</summary>
public sealed class ParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "permit(principal == User::\"a\", action in [Action::\"r\", Action::\"w\"], resource is Photo in Album::\"x\") when { context.ip.isInRange(ip(\"10.0.0.0/8\")) && principal has \"a b\" };",
        "@id(\"x\") forbid(principal, action, resource) unless { if [1, {a: -2}].contains(3) then \"a\\*b\" like \"*\\u{41}\" else decimal(\"1.0\").lessThan(decimal(\"2.0\")) };",
        "permit(principal, action, resource) when { resource.owner == principal || resource.getTag(\"t\") > 9223372036854775807 - 1 };",
    ];

    private const string Alphabet = "()[]{},;:.@!-+*<>=&|\"\\?_ ax0zZ9\n\tprincipal action when unless if then else has like is in";

    [Fact]
    public void Parse_MutatedPolicies_OnlyParseErrorsOrSuccess()
    {
        var random = new Random(8);
        for (var i = 0; i < 20_000; i++)
        {
            var builder = new StringBuilder(Seeds[random.Next(Seeds.Length)]);
            var edits = random.Next(1, 6);
            for (var e = 0; e < edits && builder.Length > 0; e++)
            {
                var at = random.Next(builder.Length);
                switch (random.Next(3))
                {
                    case 0: builder.Remove(at, 1); break;
                    case 1: builder.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                    default: builder[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                }
            }

            ParseOrReject(builder.ToString());
        }
    }

    [Fact]
    public void Parse_RandomTokenSoup_OnlyParseErrorsOrSuccess()
    {
        var random = new Random(9);
        string[] tokens = ["(", ")", "[", "]", "{", "}", ",", ";", ".", "::", "==", "&&", "||", "!", "-", "if", "then", "else",
            "principal", "action", "resource", "context", "permit", "forbid", "when", "unless", "1", "\"s\"", "A", "has", "like", "is", "in", "?principal"];
        for (var i = 0; i < 5_000; i++)
        {
            var text = string.Join(' ', Enumerable.Range(0, random.Next(1, 60)).Select(_ => tokens[random.Next(tokens.Length)]));
            ParseOrReject(text);
        }
    }

    private static void ParseOrReject(string text)
    {
        try
        {
            PolicySet.Parse(text);
        }
        catch (PolicyParseException ex)
        {
            Assert.True(ex.Line >= 1 && ex.Column >= 1, text);
        }
    }
}
