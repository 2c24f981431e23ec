using Tessera.Policy.Ast;
using Tessera.Policy.Entities;
using Tessera.Policy.Schema;
using Tessera.Policy.Values;

namespace Tessera.Policy.Validation;

/// <summary>
/// The checks that do not depend on a request environment and cover the whole policy, reachable or not:
/// every entity type named (in the scope, in literals, after <c>is</c>) is declared, every action literal is
/// a declared action, and every literal of an enumerated entity type uses one of its declared ids.
/// </summary>
internal static class SchemaReferenceChecker
{
    public static IEnumerable<string> Check(ParsedPolicy policy, CedarSchema schema)
    {
        foreach (var node in ExprNodes.All(policy.Condition))
        {
            var problem = node switch
            {
                LiteralExpr { Value: EntityValue entity } => CheckUid(entity.Uid, schema),
                IsExpr { EntityType: var type } when !schema.IsKnownEntityType(type) => $"unrecognized entity type `{type}`",
                _ => null,
            };
            if (problem is not null)
            {
                yield return problem;
            }
        }
    }

    private static string? CheckUid(EntityUid uid, CedarSchema schema)
    {
        if (schema.ActionTypes.Contains(uid.Type))
        {
            return schema.Actions.ContainsKey(uid) ? null : $"unrecognized action `{uid}`";
        }

        if (!schema.EntityTypes.TryGetValue(uid.Type, out var definition))
        {
            return uid.Type == "Action" || uid.Type.EndsWith("::Action", StringComparison.Ordinal)
                ? $"unrecognized action `{uid}`"
                : $"unrecognized entity type `{uid.Type}`";
        }

        return definition.EnumIds is { } ids && !ids.Contains(uid.Id)
            ? $"entity `{uid}` is of an enumerated entity type, but `{Internal.CedarStrings.Quote(uid.Id)}` is not declared as a valid eid"
            : null;
    }
}
