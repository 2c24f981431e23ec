using System.Text.Json;
using Tessera.Policy.Entities;
using Tessera.Policy.Values;

namespace Tessera.Policy.Json;

/// <summary>Reads Cedar's entity JSON format: an array of <c>{"uid", "attrs", "parents", "tags"}</c> objects.</summary>
internal static class EntityJsonReader
{
    public static List<Entity> Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, JsonValueReader.DocumentOptions);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException("entities: expected a JSON array of entities");
            }

            return [.. document.RootElement.EnumerateArray().Select((e, i) => ReadEntity(e, $"entities[{i}]"))];
        }
        catch (JsonException ex)
        {
            throw new FormatException($"entities: invalid JSON: {ex.Message}", ex);
        }
    }

    private static Entity ReadEntity(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty("uid", out var uidElement))
        {
            throw new FormatException($"{path}: an entity needs a `uid`");
        }

        var uid = JsonValueReader.ReadUid(uidElement, $"{path}.uid");
        var attributes = element.TryGetProperty("attrs", out var attrs)
            ? JsonValueReader.ReadRecord(attrs, $"{path}.attrs").Fields
            : RecordValue.Empty.Fields;
        var tags = element.TryGetProperty("tags", out var tagElement)
            ? JsonValueReader.ReadRecord(tagElement, $"{path}.tags").Fields
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

        return new Entity(uid, attributes, parents, tags);
    }
}
