using Tessera.Policy.Entities;
using Tessera.Policy.Evaluation;
using Tessera.Policy.Values;

namespace Tessera.Policy.Tests.Evaluation;

public sealed class ScopeIndexTests
{
    [Fact]
    public void Candidates_RandomScopesAndHierarchies_IncludeEveryPolicyWhoseScopeHolds()
    {
        var random = new Random(2026);
        string[] types = ["U", "G"];
        EntityUid Pick() => new(types[random.Next(2)], random.Next(6).ToString());
        EntityUid PickAction() => new("Action", random.Next(3).ToString());
        for (var round = 0; round < 200; round++)
        {
            // Parents always have a larger id, so the hierarchy is acyclic (the store rejects cycles).
            var json = string.Join(",", types.SelectMany(t => Enumerable.Range(0, 6).Select(i =>
                $"{{\"uid\": {{\"type\": \"{t}\", \"id\": \"{i}\"}}, \"attrs\": {{}}, \"parents\": [{string.Join(",", Enumerable.Range(0, random.Next(3)).Select(_ => (Type: types[random.Next(2)], Id: random.Next(i + 1, 7).ToString())).Distinct().Select(p => $"{{\"type\": \"{p.Type}\", \"id\": \"{p.Id}\"}}"))}]}}")));
            var entities = EntityStore.FromJson($"[{json}]");
            var policies = Enumerable.Range(0, 40).Select(i => $"permit(principal{Scope(random, Pick, list: false)}, action{Scope(random, PickAction, list: true)}, resource{Scope(random, Pick, list: false)});");
            var set = PolicySet.Parse(string.Join("\n", policies));
            var index = new ScopeIndex(set.Policies);

            for (var r = 0; r < 20; r++)
            {
                var (principal, action, resource) = (Pick(), PickAction(), Pick());
                var evaluator = new Evaluator(new RequestValues(new EntityValue(principal), new EntityValue(action), new EntityValue(resource), RecordValue.Empty), entities);
                var expected = Enumerable.Range(0, set.Policies.Count).Where(i => evaluator.EvaluateBool(set.Policies[i].Condition)).ToList();
                var candidates = index.Candidates(principal, action, resource, entities).ToList();
                Assert.Equal(expected, candidates.Where(i => evaluator.EvaluateBool(set.Policies[i].Condition)));
                Assert.All(expected, i => Assert.Contains(i, candidates));
            }
        }
    }

    private static string Scope(Random random, Func<EntityUid> pick, bool list)
    {
        var e = pick();
        return random.Next(list ? 4 : 5) switch
        {
            0 => string.Empty,
            1 => $" == {e}",
            2 => $" in {e}",
            3 => list ? $" in [{pick()}, {pick()}]" : $" is {e.Type}",
            _ => $" is {e.Type} in {pick()}",
        };
    }
}
