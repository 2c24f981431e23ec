using Tessera.Policy.Entities;
using Tessera.Policy.Schema;
using Tessera.Policy.Values;

namespace Tessera.Policy.Validation;

/// <summary>
/// Checks an entity read with a schema, as the reference does when it loads entities with one: the type is
/// declared (actions must be declared actions), an enumerated type's id is declared, the attributes have
/// the declared record type, parents have types the schema allows, and tags have the declared tag type.
/// </summary>
internal static class EntityConformance
{
    public static string? Check(Entity entity, string path, CedarSchema schema)
    {
        var uid = entity.Uid;
        if (schema.ActionTypes.Contains(uid.Type))
        {
            return schema.Actions.ContainsKey(uid) ? null : $"{path}: action `{uid}` is not declared in the schema";
        }

        if (!schema.EntityTypes.TryGetValue(uid.Type, out var definition))
        {
            return $"{path}: entity type `{uid.Type}` is not declared in the schema";
        }

        if (ValueConformance.CheckEnum(new EntityValue(uid), schema) is { } enumProblem)
        {
            return $"{path}: {enumProblem}";
        }

        if (ValueConformance.CheckRecord(new RecordValue(entity.Attributes), definition.Attributes, $"{path}.attrs", schema) is { } problem)
        {
            return problem;
        }

        var parent = entity.Parents.FirstOrDefault(p => !definition.MemberOfTypes.Contains(p.Type));
        if (parent != default)
        {
            return $"{path}: `{uid}` may not have a parent of type `{parent.Type}` according to the schema";
        }

        if (definition.Tags is null)
        {
            return entity.Tags.Count == 0 ? null : $"{path}.tags: entity type `{uid.Type}` has no tags in the schema";
        }

        return entity.Tags
            .Select(tag => ValueConformance.Check(tag.Value, definition.Tags, $"{path}.tags.{tag.Key}", schema))
            .FirstOrDefault(p => p is not null);
    }
}
