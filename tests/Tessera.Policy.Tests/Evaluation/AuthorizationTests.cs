using Tessera.Policy.Authorization;

namespace Tessera.Policy.Tests.Evaluation;

public sealed class AuthorizationTests
{
    [Fact]
    public void IsAuthorized_NoPolicies_DefaultDeny()
    {
        var response = Cedar.Authorize(string.Empty);
        Assert.Equal(Decision.Deny, response.Decision);
        Assert.Empty(response.Reasons);
        Assert.Empty(response.Errors);
    }

    [Fact]
    public void IsAuthorized_ForbidOverridesPermit_ReasonsAreForbids()
    {
        var response = Cedar.Authorize("""
            permit(principal == User::"alice", action, resource);
            forbid(principal, action == Action::"view", resource is Photo);
            permit(principal, action, resource);
            """);
        Assert.Equal(Decision.Deny, response.Decision);
        Assert.Equal(["policy1"], response.Reasons);
    }

    [Fact]
    public void IsAuthorized_ErroringPolicy_SkippedAndReported()
    {
        var response = Cedar.Authorize("""
            forbid(principal, action, resource) when { principal.suspended };
            permit(principal, action in [Action::"edit", Action::"view"], resource) when { 1 + 1 == 2 };
            permit(principal, action, resource) unless { true };
            """);
        Assert.Equal(Decision.Allow, response.Decision);
        Assert.Equal(["policy1"], response.Reasons);
        var error = Assert.Single(response.Errors);
        Assert.Equal("policy0", error.PolicyId);
        Assert.Equal("entity User::\"alice\" does not exist", error.Message);
    }

    [Fact]
    public void IsAuthorized_ScopeMismatch_ConditionNotEvaluated()
    {
        var response = Cedar.Authorize("""permit(principal is Admin, action, resource) when { 1 + "x" };""");
        Assert.Equal(Decision.Deny, response.Decision);
        Assert.Empty(response.Errors);
    }
}
