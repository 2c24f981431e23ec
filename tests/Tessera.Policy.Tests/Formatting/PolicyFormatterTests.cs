using Tessera.Policy.Formatting;

namespace Tessera.Policy.Tests.Formatting;

public sealed class PolicyFormatterTests
{
    [Fact]
    public void Format_AnnotationsScopeAndConditions_CanonicalLayout()
    {
        var text = """
            @id("p1") @advice
            permit(principal==User::"alice",action in [Action::"read",Action::"list"],resource is Doc in Folder::"f")
            when{context.mfa}unless {resource.private} ;
            forbid(principal is User, action, resource == ?resource);
            """;
        Assert.Equal(
            """
            @id("p1")
            @advice
            permit (
              principal == User::"alice",
              action in [Action::"read", Action::"list"],
              resource is Doc in Folder::"f"
            )
            when { context.mfa }
            unless { resource.private };

            forbid (
              principal is User,
              action,
              resource == ?resource
            );

            """.ReplaceLineEndings("\n"),
            PolicyFormatter.Format(text));
    }

    [Theory]
    [InlineData("(a + b) * c", "(a + b) * c")]
    [InlineData("a + (b * c)", "a + b * c")]
    [InlineData("a - (b - c)", "a - (b - c)")]
    [InlineData("(a - b) - c", "a - b - c")]
    [InlineData("(a || b) && c", "(a || b) && c")]
    [InlineData("a || (b && c)", "a || b && c")]
    [InlineData("(a == b) == c", "(a == b) == c")]
    [InlineData("!(a && b)", "!(a && b)")]
    [InlineData("!!a", "!!a")]
    [InlineData("!(-a)", "!(-a)")]
    [InlineData("-(5)", "-(5)")]
    [InlineData("--5", "-(-5)")]
    [InlineData("-5.foo", "-5.foo")]
    [InlineData("!(-5)", "!(-5)")]
    [InlineData("-9223372036854775808", "-9223372036854775808")]
    [InlineData("(if a then b else c) || d", "(if a then b else c) || d")]
    [InlineData("if a then b else c || d", "if a then b else c || d")]
    [InlineData("(a + b).foo", "(a + b).foo")]
    [InlineData("(a has b) && (c like \"x*\\*\")", "a has b && c like \"x*\\*\"")]
    [InlineData("a has b.c", "a has b && a.b has c")]
    [InlineData("(a has b.c) == true", "(a has b && a.b has c) == true")]
    [InlineData("a[\"b c\"][\"d\"] has \"if\"", "a[\"b c\"].d has \"if\"")]
    [InlineData("{\"a b\": 1, c: [1, {}], \"true\": d}", "{ \"a b\": 1, c: [1, {}], \"true\": d }")]
    [InlineData("(a is T in b) && ip(\"10.0.0.1\").isInRange(c)", "a is T in b && ip(\"10.0.0.1\").isInRange(c)")]
    [InlineData("[1,2].containsAll([1]) && a in [B::\"x\"]", "[1, 2].containsAll([1]) && a in [B::\"x\"]")]
    public void Format_Expressions_MinimalParentheses(string condition, string expected)
    {
        var policy = $"permit(principal, action, resource) when {{ {Bind(condition)} }};";
        var formatted = PolicyFormatter.Format(policy);
        Assert.Equal($"when {{ {Bind(expected)} }};", formatted.Split('\n')[^2]);
        AssertRoundTrips(policy);
    }

    [Theory]
    [InlineData("\"tab\\there \\\"quoted\\\" back\\\\slash \\0 \\u{1F600} \\u{7f} \\x41 é\"", "\"tab\\there \\\"quoted\\\" back\\\\slash \\0 😀 \\u{7f} A é\"")]
    [InlineData("\"line\\nbreak\\r\"", "\"line\\nbreak\\r\"")]
    public void Format_StringEscapes_RoundTrip(string literal, string expected)
    {
        var policy = $"@note({literal}) permit(principal == User::{literal}, action, resource) when {{ context.s == {literal} && context.s like {literal} }};";
        var formatted = PolicyFormatter.Format(policy);
        Assert.Contains($"@note({expected})", formatted, StringComparison.Ordinal);
        Assert.Contains($"principal == User::{expected},", formatted, StringComparison.Ordinal);
        AssertRoundTrips(policy);
    }

    [Fact]
    public void Format_LongCondition_BreaksTopLevelChain()
    {
        var policy = """
            permit(principal, action, resource) when { principal.department == "HardwareEngineering" && principal.jobLevel >= 5 && (context.a || context.b) };
            """;
        Assert.EndsWith(
            """
            when {
              principal.department == "HardwareEngineering" &&
              principal.jobLevel >= 5 &&
              (context.a || context.b)
            };

            """.ReplaceLineEndings("\n"),
            PolicyFormatter.Format(policy),
            StringComparison.Ordinal);
        AssertRoundTrips(policy);
    }

    [Fact]
    public void Format_EmptySet_IsEmpty()
    {
        Assert.Equal(string.Empty, PolicyFormatter.Format(string.Empty));
        Assert.Equal(string.Empty, PolicyFormatter.Format(PolicySet.Parse("// nothing here\n")));
    }

    [Fact]
    public void Format_LinkedPolicies_PrintsTemplateOnly()
    {
        var set = PolicySet.Parse("permit(principal == ?principal, action, resource);")
            .Link("policy0", "link1", new Entities.EntityUid("User", "a"));
        Assert.Equal("permit (\n  principal == ?principal,\n  action,\n  resource\n);\n", PolicyFormatter.Format(set));
    }

    /// <summary>Checks that the output re-parses to the same tree and that formatting it again changes nothing.</summary>
    internal static void AssertRoundTrips(string text)
    {
        var original = PolicySet.Parse(text);
        var formatted = PolicyFormatter.Format(original);
        var reparsed = PolicySet.Parse(formatted);
        Assert.Null(AstComparer.FirstDifference(original.Policies, reparsed.Policies));
        Assert.Equal(formatted, PolicyFormatter.Format(reparsed));
    }

    // The letters a–d stand for the request variables (also usable as attribute names) so the conditions parse.
    private static string Bind(string condition) =>
        System.Text.RegularExpressions.Regex.Replace(condition, @"\b[a-d]\b", m => m.Value switch
        {
            "a" => "principal",
            "b" => "resource",
            "c" => "context",
            _ => "action",
        });
}
