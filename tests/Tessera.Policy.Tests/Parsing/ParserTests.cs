using Tessera.Policy.Ast;
using Tessera.Policy.Parsing;

namespace Tessera.Policy.Tests.Parsing;

public sealed class ParserTests
{
    [Fact]
    public void Parse_SeveralPolicies_IdsArePositional()
    {
        var set = PolicySet.Parse("""
            @id("ignored") permit(principal, action, resource);
            // a comment
            forbid(principal, action, resource) unless { false };
            permit(principal, action, resource);
            """);
        Assert.Equal(["policy0", "policy1", "policy2"], set.PolicyIds);
    }

    [Fact]
    public void Parse_TrailingCommaInScopeAndNamespacedAction_Accepted() =>
        Assert.Single(PolicySet.Parse("permit(principal, action == NS::Action::\"a\", resource,);").PolicyIds);

    [Fact]
    public void Parse_AllScopeForms_BuildsConstraints()
    {
        var policy = Assert.Single(PolicySet.Parse("""
            permit(principal is NS::User in NS::Group::"g", action in [Action::"a", Action::"b"], resource == Photo::"x\"y");
            """).Policies);
        Assert.Equal(ScopeKind.IsIn, policy.Principal.Kind);
        Assert.Equal("NS::User", policy.Principal.EntityType);
        Assert.Equal(new Entities.EntityUid("NS::Group", "g"), policy.Principal.Entities[0]);
        Assert.True(policy.Action.IsList);
        Assert.Equal(2, policy.Action.Entities.Count);
        Assert.Equal(ScopeKind.Equal, policy.Resource.Kind);
        Assert.Equal("x\"y", policy.Resource.Entities[0].Id);
    }

    [Theory]
    [InlineData("1 + 2 * 3 == 7")]
    [InlineData("!false && true || false")]
    [InlineData("-2 * 3 == -6")]
    [InlineData("10 - 2 - 3 == 5")]
    [InlineData("if 1 < 2 then true else false")]
    [InlineData("[1, 2, [3]].contains([3])")]
    [InlineData("{a: {b: 1}}.a.b == 1 && {\"x y\": 2}[\"x y\"] == 2")]
    [InlineData("-9223372036854775808 < 0")]
    [InlineData("--1 == 1 && !!true && ----2 == 2")]
    [InlineData("\"\\u{1F600}\\t\" == \"😀\t\"")]
    [InlineData("{a: {b: 1}} has a.b")]
    [InlineData("User::\"alice\" is User")]
    [InlineData("{\"if\": {when: 1}}[\"if\"].when == 1 && {permit: 2} has permit")]
    [InlineData("principal is User in [User::\"alice\"]")]
    public void ParseExpression_Precedence_EvaluatesTrue(string expression) => Assert.True(Cedar.True(expression));

    [Theory]
    [InlineData("permit(principal, action, resource) when { 1 + };", "line 1, column 48: unexpected `}`, expected an expression")]
    [InlineData("permit(principal, action, resource)", "line 1, column 36: unexpected end of input, expected `;`")]
    [InlineData("allow(principal, action, resource);", "line 1, column 1: unexpected `allow`, expected `permit` or `forbid`")]
    [InlineData("permit(principal,\n  action,\n  resource) when { foo };", "line 3, column 20: unknown variable `foo`")]
    [InlineData("permit(principal, action, resource) when { 1 < 2 < 3 };", "line 1, column 50: unexpected `<`, expected `}`")]
    [InlineData("permit(principal, action, resource) when { 9223372036854775808 };", "line 1, column 44: integer literal `9223372036854775808` is out of range for a 64-bit integer")]
    [InlineData("permit(principal, action, resource) when { \"\\q\" };", "line 1, column 44: invalid escape `\\q`")]
    [InlineData("permit(principal, action, resource) when { \"abc };", "line 1, column 44: unterminated string literal")]
    [InlineData("permit(principal, action, resource) when { {a: 1, a: 2} };", "line 1, column 51: duplicate key `a` in record literal")]
    [InlineData("permit(principal == User, action, resource);", "line 1, column 21: expected an entity reference like `Type::\"id\"`, found `User`")]
    [InlineData("permit(principal, action is Action, resource);", "line 1, column 26: unexpected `is`, expected `==`, `in`, `,` or `)`: `is` is not allowed in the action scope")]
    [InlineData("permit(principal, action, resource) when { context.foo() };", "line 1, column 52: `foo` is not a method")]
    [InlineData("permit(principal, action, resource) when { !!!!!true };", "line 1, column 44: too many unary operators in a row (at most 4)")]
    [InlineData("permit(principal, action, resource) when { {if: true}.a };", "line 1, column 45: this identifier is reserved and cannot be used: if")]
    [InlineData("permit(principal, action, resource) when { context.in };", "line 1, column 52: this identifier is reserved and cannot be used: in")]
    [InlineData("permit(principal, action, resource) when { The::true::path::\"x\" };", "line 1, column 49: this identifier is reserved and cannot be used: true")]
    [InlineData("permit(principal, action, resource) when { context has like };", "line 1, column 56: this identifier is reserved and cannot be used: like")]
    [InlineData("permit(principal, action in [Action::\"a\", Acton::\"b\"], resource);", "line 1, column 43: expected an action entity of type `Action`, found Acton::\"b\"")]
    [InlineData("permit(principal, action == NS::Act::\"a\", resource);", "line 1, column 29: expected an action entity of type `Action`, found NS::Act::\"a\"")]
    [InlineData("permit(principal, action, resource) when { !-1 };", "line 1, column 45: unexpected `-`, expected an expression")]
    [InlineData("permit(principal, action, resource) when { 1 # 2 };", "line 1, column 46: unexpected character `#`")]
    public void Parse_InvalidPolicy_ExactErrorWithPosition(string text, string message)
    {
        var error = Assert.Throws<PolicyParseException>(() => PolicySet.Parse(text));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void Parse_100000NestedParentheses_ClearErrorNoStackOverflow()
    {
        var text = "permit(principal, action, resource) when { " + new string('(', 100_000) + "true" + new string(')', 100_000) + " };";
        var error = Assert.Throws<PolicyParseException>(() => PolicySet.Parse(text));
        Assert.Equal($"expression is nested too deeply (the limit is {Parser.MaxNestingDepth} levels)", error.Detail);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Parse_100000NestedRecordsAndSets_ClearError()
    {
        var records = string.Concat(Enumerable.Repeat("{a: ", 100_000)) + "1" + new string('}', 100_000);
        Assert.Contains("nested too deeply", Assert.Throws<PolicyParseException>(() => Parser.ParseExpression(records)).Message);
        var sets = new string('[', 100_000) + new string(']', 100_000);
        Assert.Contains("nested too deeply", Assert.Throws<PolicyParseException>(() => Parser.ParseExpression(sets)).Message);
    }

    [Fact]
    public void Parse_LongOperatorChain_HeightLimitedNotStackOverflow()
    {
        var chain = string.Join(" + ", Enumerable.Repeat("1", 100_000));
        var error = Assert.Throws<PolicyParseException>(() => Parser.ParseExpression(chain));
        Assert.Equal($"expression is too deeply nested (the limit is {Parser.MaxExpressionHeight} levels of operators)", error.Detail);
        var attributes = "context" + string.Concat(Enumerable.Repeat(".a", 100_000));
        Assert.Throws<PolicyParseException>(() => Parser.ParseExpression(attributes));
    }

    [Fact]
    public void Parse_ChainWithinLimit_Evaluates()
    {
        var chain = string.Join(" + ", Enumerable.Repeat("1", 500));
        Assert.Equal(500, Assert.IsType<Values.LongValue>(Cedar.Eval(chain)).Value);
    }
}
