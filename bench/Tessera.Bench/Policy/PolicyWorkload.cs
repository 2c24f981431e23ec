using System.Text;
using Tessera.Policy;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;

namespace Tessera.Bench.Policy;

/// <summary>
/// The two decision workloads of issue 8, generated from a fixed seed so that Tessera and cedar-wasm get
/// identical inputs: <see cref="Small"/> (10 policies, 5 entities) and <see cref="Large"/> (1,000 policies,
/// 10,000 entities in an org → team → user hierarchy, documents in orgs). Requests are a cycle of varied
/// principals, actions, resources and contexts.
/// </summary>
internal sealed class PolicyWorkload
{
    private PolicyWorkload(string name, string policies, string entities, IReadOnlyList<RequestJson> requests)
    {
        Name = name;
        PoliciesText = policies;
        EntitiesJson = entities;
        Requests = requests;
    }

    public string Name { get; }

    public string PoliciesText { get; }

    public string EntitiesJson { get; }

    public IReadOnlyList<RequestJson> Requests { get; }

    public static PolicyWorkload Small()
    {
        const string policies = """
            permit(principal == User::"alice", action == Action::"read", resource == Doc::"d0");
            permit(principal in Team::"t0", action == Action::"read", resource in Org::"o0") when { resource.level <= principal.clearance };
            permit(principal, action == Action::"write", resource) when { resource.owner == principal };
            forbid(principal, action == Action::"delete", resource) unless { context.mfa };
            permit(principal in Team::"t0", action == Action::"delete", resource);
            permit(principal, action, resource is Doc) when { context.hour >= 9 && context.hour < 17 && principal.clearance > 2 };
            forbid(principal == User::"bob", action, resource) when { context.hour > 22 };
            permit(principal is User, action in [Action::"read", Action::"write"], resource) when { principal has nick && principal.nick like "a*" };
            permit(principal, action == Action::"read", resource) when { resource.tags.contains("public") };
            forbid(principal, action, resource) when { principal.clearance < 0 };
            """;
        const string entities = """
            [{"uid": {"type": "User", "id": "alice"}, "attrs": {"clearance": 3, "nick": "al"}, "parents": [{"type": "Team", "id": "t0"}]},
             {"uid": {"type": "User", "id": "bob"}, "attrs": {"clearance": 1}, "parents": []},
             {"uid": {"type": "Team", "id": "t0"}, "attrs": {}, "parents": [{"type": "Org", "id": "o0"}]},
             {"uid": {"type": "Org", "id": "o0"}, "attrs": {}, "parents": []},
             {"uid": {"type": "Doc", "id": "d0"}, "attrs": {"level": 2, "owner": {"__entity": {"type": "User", "id": "bob"}}, "tags": ["public"]}, "parents": [{"type": "Org", "id": "o0"}]}]
            """;
        var random = new Random(8);
        var requests = Enumerable.Range(0, 64).Select(_ => new RequestJson(
            Pick(random, "alice", "bob"), Pick(random, "read", "write", "delete"), "d0", random.Next(2) == 0, random.Next(24))).ToList();
        return new PolicyWorkload("10 policies, 5 entities", policies, entities, requests);
    }

    public static PolicyWorkload Large()
    {
        const int orgs = 50, teams = 950, users = 7_000, docs = 2_000;
        var random = new Random(1_000);
        var entities = new StringBuilder("[");
        void Add(string type, string id, string attrs, IEnumerable<(string Type, string Id)> parents)
        {
            entities.Append(entities.Length > 1 ? ",\n" : string.Empty)
                .Append($$"""{"uid": {"type": "{{type}}", "id": "{{id}}"}, "attrs": {{{attrs}}}, "parents": [{{string.Join(", ", parents.Select(p => $$"""{"type": "{{p.Type}}", "id": "{{p.Id}}"}"""))}}]}""");
        }

        for (var o = 0; o < orgs; o++)
        {
            Add("Org", $"o{o}", string.Empty, []);
        }

        for (var t = 0; t < teams; t++)
        {
            Add("Team", $"t{t}", string.Empty, [("Org", $"o{t % orgs}")]);
        }

        for (var u = 0; u < users; u++)
        {
            (string, string)[] parents = u % 3 == 0 ? [("Team", $"t{u % teams}"), ("Team", $"t{(u * 7) % teams}")] : [("Team", $"t{u % teams}")];
            Add("User", $"u{u}", $"\"clearance\": {u % 5}", parents);
        }

        for (var d = 0; d < docs; d++)
        {
            var owner = $"u{(d * 13) % users}";
            Add("Doc", $"d{d}", $"\"level\": {d % 5}, \"owner\": {{\"__entity\": {{\"type\": \"User\", \"id\": \"{owner}\"}}}}", [("Org", $"o{d % orgs}")]);
        }

        entities.Append(']');

        var policies = new StringBuilder();
        for (var i = 0; i < 1_000; i++)
        {
            policies.AppendLine((i % 10) switch
            {
                < 4 => $"permit(principal in Team::\"t{random.Next(teams)}\", action == Action::\"read\", resource in Org::\"o{random.Next(orgs)}\") when {{ resource.level <= principal.clearance }};",
                < 7 => $"permit(principal == User::\"u{random.Next(users)}\", action, resource == Doc::\"d{random.Next(docs)}\");",
                < 9 => $"forbid(principal in Org::\"o{random.Next(orgs)}\", action == Action::\"delete\", resource) unless {{ context.mfa }};",
                _ => $"permit(principal is User, action == Action::\"write\", resource is Doc in Org::\"o{random.Next(orgs)}\") when {{ resource.owner == principal && context.hour < {random.Next(8, 20)} }};",
            });
        }

        var requests = Enumerable.Range(0, 1_000).Select(_ => new RequestJson(
            $"u{random.Next(users)}", Pick(random, "read", "write", "delete"), $"d{random.Next(docs)}", random.Next(2) == 0, random.Next(24))).ToList();
        return new PolicyWorkload("1,000 policies, 10,000 entities", policies.ToString(), entities.ToString(), requests);
    }

    /// <summary>The requests as Tessera requests.</summary>
    public IReadOnlyList<AuthorizationRequest> TesseraRequests() => [.. Requests.Select(r => new AuthorizationRequest
    {
        Principal = new EntityUid("User", r.Principal),
        Action = new EntityUid("Action", r.Action),
        Resource = new EntityUid("Doc", r.Resource),
        Context = RequestContext.FromJson($$"""{"mfa": {{(r.Mfa ? "true" : "false")}}, "hour": {{r.Hour}}}"""),
    })];

    public (PolicySet Policies, EntityStore Entities) Load() => (PolicySet.Parse(PoliciesText), EntityStore.FromJson(EntitiesJson));

    private static string Pick(Random random, params string[] options) => options[random.Next(options.Length)];

    /// <summary>One request: user id, action id, document id and the context's two fields.</summary>
    public sealed record RequestJson(string Principal, string Action, string Resource, bool Mfa, int Hour);
}
