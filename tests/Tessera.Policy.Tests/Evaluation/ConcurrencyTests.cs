using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;

namespace Tessera.Policy.Tests.Evaluation;

public sealed class ConcurrencyTests
{
    [Fact]
    public void IsAuthorized_ManyThreadsSharingPolicySetAndStore_SameAnswers()
    {
        var policies = PolicySet.Parse("""
            permit(principal in Group::"g0", action, resource) when { principal.level > 3 };
            forbid(principal, action, resource) when { principal.level > 8 };
            """);
        var entities = EntityStore.FromJson("[" + string.Join(",", Enumerable.Range(0, 100).Select(i =>
            $$"""{"uid": {"type": "User", "id": "u{{i}}"}, "attrs": {"level": {{i % 10}}}, "parents": [{"type": "Group", "id": "g{{i % 3}}"}]}""")) + "]");

        Parallel.For(0, 10_000, i =>
        {
            var user = i % 100;
            var response = policies.IsAuthorized(
                new AuthorizationRequest { Principal = new EntityUid("User", $"u{user}"), Action = Cedar.View, Resource = Cedar.Photo },
                entities);
            var expected = user % 3 == 0 && user % 10 is > 3 and <= 8 ? Decision.Allow : Decision.Deny;
            Assert.Equal(expected, response.Decision);
        });
    }
}
