using System.Text;
using Tessera.Policy.Entities;
using Tessera.Policy.Evaluation;
using Tessera.Policy.Extensions;
using Tessera.Policy.Parsing;

namespace Tessera.Policy.Tests.Evaluation;

/// <summary>Random expressions and extension literals: evaluation yields a value or an <see cref="EvaluationException"/>, nothing else.</summary>
public sealed class EvaluatorFuzzTests
{
    private static readonly string[] Leaves =
    [
        "1", "-9223372036854775808", "9223372036854775807", "0", "\"a\"", "\"\"", "true", "false", "principal", "resource",
        "context", "User::\"alice\"", "G::\"a\"", "[]", "[1, \"a\"]", "{}", "{a: 1, b: [G::\"a\"]}", "ip(\"10.0.0.1/8\")",
        "ip(\"::1\")", "decimal(\"-1.5\")", "datetime(\"2024-02-29T23:59:59.999-2359\")", "duration(\"-1d2h\")",
        "datetime(\"9999-12-31\")", "duration(\"9223372036854775807ms\")", "duration(\"-9223372036854775808ms\")",
    ];

    private static readonly string[] Binary = ["==", "!=", "<", "<=", ">", ">=", "+", "-", "*", "&&", "||", "in"];

    private static readonly string[] Methods =
    [
        ".contains({0})", ".containsAll({0})", ".containsAny({0})", ".isEmpty()", ".hasTag({0})", ".getTag({0})", ".a", "[\"b\"]",
        ".isIpv4()", ".isLoopback()", ".isInRange({0})", ".lessThan({0})", ".offset({0})", ".durationSince({0})", ".toDate()",
        ".toTime()", ".toDays()", ".toMilliseconds()", " has a", " like \"*a*\"", " is G", " is G in {0}",
    ];

    [Fact]
    public void Evaluate_RandomExpressions_OnlyValuesOrEvaluationErrors()
    {
        var random = new Random(77);
        var entities = EntityStore.FromJson("""
            [{"uid": {"type": "G", "id": "a"}, "attrs": {"a": 1}, "parents": [], "tags": {"t": "v"}},
             {"uid": {"type": "User", "id": "alice"}, "attrs": {"a": {"b": 2}}, "parents": [{"type": "G", "id": "a"}]}]
            """);
        int parsed = 0, values = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = Generate(random, 4);
            Tessera.Policy.Ast.Expr expr;
            try
            {
                expr = Parser.ParseExpression(text);
            }
            catch (PolicyParseException)
            {
                continue;
            }

            parsed++;
            try
            {
                Cedar.Eval(text, entities);
                values++;
            }
            catch (EvaluationException)
            {
                // Expected outcome for ill-typed or overflowing expressions.
            }

            Assert.NotNull(expr);
        }

        // The generator must exercise the evaluator, not just the parser's error paths.
        Assert.True(parsed > 15_000, $"only {parsed} expressions parsed");
        Assert.True(values > 1_000, $"only {values} expressions evaluated to a value");
    }

    [Fact]
    public void ExtensionConstructors_RandomStrings_ParseOrReject()
    {
        var random = new Random(78);
        const string alphabet = "0123456789abcdefABCDEF:./-+TZdhms _\u0663";
        var builder = new StringBuilder();
        for (var i = 0; i < 50_000; i++)
        {
            builder.Clear();
            var length = random.Next(0, 45);
            for (var j = 0; j < length; j++)
            {
                builder.Append(alphabet[random.Next(alphabet.Length)]);
            }

            var text = builder.ToString();
            _ = IpValue.TryParse(text);
            _ = DecimalValue.TryParse(text);
            _ = DatetimeValue.TryParse(text);
            _ = DurationValue.TryParse(text);
        }
    }

    private static string Generate(Random random, int depth)
    {
        if (depth == 0 || random.Next(4) == 0)
        {
            return Leaves[random.Next(Leaves.Length)];
        }

        return random.Next(5) switch
        {
            0 => $"({Generate(random, depth - 1)} {Binary[random.Next(Binary.Length)]} {Generate(random, depth - 1)})",
            1 => $"({Generate(random, depth - 1)}){string.Format(System.Globalization.CultureInfo.InvariantCulture, Methods[random.Next(Methods.Length)], Generate(random, depth - 1))}",
            2 => $"(if {Generate(random, depth - 1)} then {Generate(random, depth - 1)} else {Generate(random, depth - 1)})",
            3 => $"[{Generate(random, depth - 1)}, {Generate(random, depth - 1)}]",
            _ => $"{(random.Next(2) == 0 ? "!" : "-")}({Generate(random, depth - 1)})",
        };
    }
}
