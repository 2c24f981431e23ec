using System.Text.Json;
using Tessera.Policy.Entities;
using Tessera.Policy.Schema;
using Tessera.Policy.Validation;
using Tessera.Policy.Values;

namespace Tessera.Policy.Json;

/// <summary>
/// Reads Cedar's entity JSON format: an array of <c>{"uid", "attrs", "parents", "tags"}</c> objects. With a
/// schema, attributes are read by their declared types and the schema's actions are added as entities
/// (with their action-group parents) unless the JSON already defines them.
/// </summary>
internal static class EntityJsonReader
{
    public static List<Entity> Read(string json, CedarSchema? schema = null)
    {
        try
        {
            using var document = JsonDocument.Parse(json, JsonValueReader.DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("entities: expected a JSON array of entities");
            }

            List<Entity> entities = [.. document.RootElement.EnumerateArray().Select((e, i) => ReadEntity(e, $"entities[{i}]", schema))];
            if (schema is not null)
            {
                var present = entities.Select(e => e.Uid).ToHashSet();
                entities.AddRange(schema.Actions.Values
                    .Where(a => !present.Contains(a.Uid))
                    .Select(a => new Entity(a.Uid, RecordValue.Empty.Fields, a.Parents.ToHashSet(), RecordValue.Empty.Fields)));
            }

            return entities;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"entities: invalid JSON: {ex.Message}", ex);
        }
    }

    private static Entity ReadEntity(JsonElement element, string path, CedarSchema? schema)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("uid", out var uidElement))
        {
            throw new FormatException($"{path}: an entity needs a `uid`");
        }

        // As in the reference: `attrs` and `parents` are required, `tags` is optional, other fields are ignored.
        foreach (var required in (string[])["attrs", "parents"])
        {
            if (!element.TryGetProperty(required, out _))
            {
                throw new FormatException($"{path}: missing field `{required}`");
            }
        }

        var uid = JsonValueReader.ReadUid(uidElement, $"{path}.uid");
        var attributes = element.TryGetProperty("attrs", out var attrs)
            ? JsonValueReader.ReadRecord(attrs, $"{path}.attrs", AttributeType(uid, schema), schema).Fields
            : RecordValue.Empty.Fields;
        var tags = element.TryGetProperty("tags", out var tagElement)
            ? JsonValueReader.ReadRecord(tagElement, $"{path}.tags", TagRecordType(uid, tagElement, schema), schema).Fields
            : RecordValue.Empty.Fields;
        var parents = new HashSet<EntityUid>();
        if (element.TryGetProperty("parents", out var parentList))
        {
            if (parentList.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{path}.parents: expected an array");
            }

            var i = 0;
            foreach (var parent in parentList.EnumerateArray())
            {
                parents.Add(JsonValueReader.ReadUid(parent, $"{path}.parents[{i++}]"));
            }
        }

        var entity = new Entity(uid, attributes, parents, tags);
        if (schema is not null && EntityConformance.Check(entity, path, schema) is { } problem)
        {
            throw new FormatException(problem);
        }

        return entity;
    }

    // Tags are read like a record whose every key has the entity type's tag type.
    private static RecordType? TagRecordType(EntityUid uid, JsonElement tags, CedarSchema? schema) =>
        schema is not null && schema.EntityTypes.TryGetValue(uid.Type, out var type) && type.Tags is { } tagType && tags.ValueKind == JsonValueKind.Object
            ? new RecordType(tags.EnumerateObject().Select(t => t.Name).Distinct(StringComparer.Ordinal)
                .ToDictionary(name => name, _ => new AttributeType(tagType, Required: true), StringComparer.Ordinal))
            : null;

    private static RecordType? AttributeType(EntityUid uid, CedarSchema? schema) =>
        schema is not null && schema.EntityTypes.TryGetValue(uid.Type, out var type) ? type.Attributes : null;
}
