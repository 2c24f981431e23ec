using Tessera.Policy.Schema;
using Tessera.Policy.Validation;

namespace Tessera.Policy.Tests.Validation;

public sealed class ValidatorTests
{
    private static readonly CedarSchema Schema = CedarSchema.Parse("""
        entity User in [Group] { a: Long, o?: Long, s: Set<Long>, r: { x: Long, y?: Long } } tags String;
        entity Group;
        entity Color enum ["red"];
        action read appliesTo { principal: [User], resource: [Group], context: { c: Long, t?: String } };
        action none;
        """);

    [Theory]
    [InlineData("principal.a > 1")]
    [InlineData("principal has o && principal.o > 1")]
    [InlineData("(principal has o || false) && principal.o > 1")]
    [InlineData("principal.r has y && principal.r.y == 1")]
    [InlineData("context has t && context.t like \"a*\"")]
    [InlineData("principal.hasTag(\"k\") && principal.getTag(\"k\") == \"v\"")]
    [InlineData("resource.hasTag(\"k\") && resource.getTag(\"k\") == 1")]
    [InlineData("principal == resource")]
    [InlineData("1 == \"a\"")]
    [InlineData("false && []")]
    [InlineData("false && ip(\"bad\")")]
    [InlineData("if true then 1 == 1 else \"a\"")]
    [InlineData("principal in [resource] && principal is User in Group::\"g\"")]
    [InlineData("datetime(\"2024-01-01\").offset(duration(\"1h\")) < datetime(\"2024-01-02\")")]
    [InlineData("decimal(\"1.5\").lessThan(decimal(\"2.0\")) && ip(\"10.0.0.1\").isInRange(ip(\"10.0.0.0/8\"))")]
    [InlineData("principal.s.containsAll([1, 2]) && !principal.s.isEmpty() && Color::\"red\" != Color::\"red\"")]
    [InlineData("action in Action::\"read\" && context.c * principal.a > -1")]
    public void Validate_WellTypedPolicy_NoErrors(string condition)
    {
        var result = PolicySet.Parse($"permit(principal, action, resource) when {{ {condition} }};").Validate(Schema);
        Assert.Equal([], result.Errors.Select(e => e.ToString()));
        Assert.True(result.IsValid);
    }

    [Theory]
    [InlineData("principal.o > 1", "unable to guarantee safety of access to optional attribute `o` on entity type `User`")]
    [InlineData("principal.a < 1 || principal.o > 1", "unable to guarantee safety of access to optional attribute `o` on entity type `User`")]
    [InlineData("principal.r.z == 1", "attribute `r.z` on entity type `User` not found")]
    [InlineData("context.zz == 1", "attribute `zz` in context for Action::\"read\" not found")]
    [InlineData("{a: 1}.b == 1", "attribute `b` not found")]
    [InlineData("resource.getTag(\"a\") == \"x\"", "unable to guarantee safety of access to tag `\"a\"` on entity type `Group`")]
    [InlineData("principal.getTag(\"a\") == \"x\"", "unable to guarantee safety of access to tag `\"a\"` on entity type `User`")]
    [InlineData("principal.hasTag(context.c)", "unexpected type: expected String but saw Long")]
    [InlineData("Unknown::\"x\" == principal", "unrecognized entity type `Unknown`")]
    [InlineData("false && resource is Photo", "unrecognized entity type `Photo`")]
    [InlineData("Action::\"nope\" == action", "unrecognized action `Action::\"nope\"`")]
    [InlineData("Color::\"blue\" == Color::\"red\"", "entity `Color::\"blue\"` is of an enumerated entity type, but `\"blue\"` is not declared as a valid eid")]
    [InlineData("principal.a == \"s\"", "the types Long and String are not compatible")]
    [InlineData("principal == 1", "the types User and Long are not compatible")]
    [InlineData("[principal, resource].contains(principal)", "the types User and Group are not compatible")]
    [InlineData("principal.s.contains(true)", "the types True and Long are not compatible")]
    [InlineData("principal.s.containsAll([principal])", "the types Set<Long> and Set<User> are not compatible")]
    [InlineData("principal.r == {x: 1, y: 2}", "the types {\"x\": Long, \"y\"?: Long} and {\"x\": Long, \"y\": Long} are not compatible")]
    [InlineData("if principal.a == 1 then 1 else \"a\"", "the types Long and String are not compatible")]
    [InlineData("[1].containsAny([])", "empty set literals are forbidden in policies")]
    [InlineData("principal.isEmpty()", "unexpected type: expected a set but saw User")]
    [InlineData("principal like \"a\"", "unexpected type: expected String but saw User")]
    [InlineData("1 in principal", "unexpected type: expected an entity type but saw Long")]
    [InlineData("principal in [1]", "unexpected type: expected an entity type or a set of entities but saw Set<Long>")]
    [InlineData("1 < \"a\"", "unexpected type: expected Long but saw String")]
    [InlineData("decimal(\"1.0\") < decimal(\"2.0\")", "unexpected type: expected datetime, or duration, or Long but saw decimal")]
    [InlineData("principal.a.lessThan(decimal(\"1.0\"))", "unexpected type: expected decimal but saw Long")]
    [InlineData("decimal(\"1.0\").lessThan(decimal(\"2.0\"), 1)", "wrong number of arguments in extension function application. Expected 2, got 3")]
    [InlineData("ip(\"10.0.0.300\").isIpv4()", "error during extension function argument validation: failed to parse as IP address: `\"10.0.0.300\"`")]
    [InlineData("decimal(\"1.23456\") == decimal(\"1.0\")", "error during extension function argument validation: failed to parse as a decimal value: `\"1.23456\"`")]
    [InlineData("datetime(\"2024-13-01\") < datetime(\"2024-01-01\")", "error during extension function argument validation: failed to parse as a datetime value: `\"2024-13-01\"`")]
    [InlineData("duration(\"1x\") < duration(\"1h\")", "error during extension function argument validation: failed to parse as a duration value: `\"1x\"`")]
    [InlineData("ip(context.t) == ip(\"::1\")", "extension constructors may not be called with non-literal expressions")]
    [InlineData("principal == principal && 1", "unexpected type: expected Bool but saw Long")]
    [InlineData("!principal.a", "unexpected type: expected Bool but saw Long")]
    public void Validate_IllTypedPolicy_ExactError(string condition, string message)
    {
        var result = PolicySet.Parse($"permit(principal, action, resource) when {{ {condition} }};").Validate(Schema);
        Assert.Equal([$"policy0: {message}"], result.Errors.Select(e => e.ToString()));
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Validate_ArithmeticOnString_ReportsOperandAndCondition()
    {
        var result = PolicySet.Parse("permit(principal, action, resource) when { 1 + \"a\" };").Validate(Schema);
        Assert.Equal(
            ["policy0: unexpected type: expected Long but saw String", "policy0: unexpected type: expected Bool but saw Long"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_ScopeMatchesNoRequest_WarningNotError()
    {
        var result = PolicySet.Parse("""
            permit(principal is Group, action, resource);
            permit(principal, action == Action::"none", resource);
            permit(principal, action, resource) when { false };
            permit(principal in Group::"g", action == Action::"read", resource) when { principal.a > 0 };
            """).Validate(Schema);
        Assert.True(result.IsValid);
        Assert.Equal(
            [
                $"policy0: {ValidationWarning.NoApplicableAction}",
                $"policy1: {ValidationWarning.NoApplicableAction}",
                $"policy2: {ValidationWarning.ImpossiblePolicy}",
            ],
            result.Warnings.Select(w => w.ToString()));
    }

    [Fact]
    public void Validate_SeveralPolicies_ErrorsCarryPolicyIds()
    {
        var result = PolicySet.Parse("""
            permit(principal, action, resource) when { principal.a > 0 };
            forbid(principal == Usr::"x", action, resource);
            permit(principal, action, resource) when { resource.nope };
            """).Validate(Schema);
        Assert.Equal(
            ["policy1: unrecognized entity type `Usr`", "policy2: attribute `nope` on entity type `Group` not found"],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_JsonAndCedarSchemas_SameResult()
    {
        var json = CedarSchema.ParseJson("""
            {"": {"entityTypes": {"User": {"shape": {"type": "Record", "attributes": {"o": {"type": "Long", "required": false}}}}},
                  "actions": {"read": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["User"]}}}}}
            """);
        var policies = PolicySet.Parse("permit(principal, action, resource) when { principal.o > 0 };");
        Assert.Equal(
            ["policy0: unable to guarantee safety of access to optional attribute `o` on entity type `User`"],
            policies.Validate(json).Errors.Select(e => e.ToString()));
    }
}
