using Tessera.Policy.Entities;
using Tessera.Policy.Schema;

namespace Tessera.Policy.Validation;

/// <summary>One request shape the schema allows: principal type, action, resource type and context type.</summary>
internal sealed record RequestEnvironment(string PrincipalType, EntityUid Action, string ResourceType, RecordType Context)
{
    /// <summary>Every environment of the schema: each action with each of its principal and resource types.</summary>
    public static IEnumerable<RequestEnvironment> All(CedarSchema schema) =>
        from action in schema.Actions.Values.OrderBy(a => a.Uid.ToString(), StringComparer.Ordinal)
        from principal in action.PrincipalTypes
        from resource in action.ResourceTypes
        select new RequestEnvironment(principal, action.Uid, resource, action.Context);
}
