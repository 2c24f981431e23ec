using System.Text.Json;

namespace Tessera.Policy.Schema;

/// <summary>
/// Reads Cedar's JSON schema format: an object from namespace names (<c>""</c> for none) to
/// <c>{"entityTypes", "actions", "commonTypes"}</c>. Declarations go to the <see cref="SchemaBuilder"/>
/// shared with the Cedar-syntax parser, so both formats resolve names alike. Errors name the JSON path.
/// </summary>
internal static class JsonSchemaReader
{
    private const int MaxDepth = 64;

    public static CedarSchema Read(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth * 2 + 8 });
            var builder = new SchemaBuilder();
            foreach (var ns in Members(document.RootElement, "schema"))
            {
                ReadNamespace(builder, ns.Name, ns.Value, $"schema.{Display(ns.Name)}");
            }

            return builder.Build();
        }
        catch (JsonException ex)
        {
            throw new FormatException($"schema: invalid JSON: {ex.Message}", ex);
        }
    }

    private static void ReadNamespace(SchemaBuilder builder, string ns, JsonElement element, string path)
    {
        foreach (var property in Members(element, path))
        {
            var at = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "entityTypes":
                    foreach (var entity in Members(property.Value, at))
                    {
                        builder.AddEntity(ReadEntity(ns, entity.Name, entity.Value, $"{at}.{entity.Name}"));
                    }

                    break;
                case "actions":
                    foreach (var action in Members(property.Value, at))
                    {
                        builder.AddAction(ReadAction(ns, action.Name, action.Value, $"{at}.{Display(action.Name)}"));
                    }

                    break;
                case "commonTypes":
                    foreach (var common in Members(property.Value, at))
                    {
                        builder.AddCommonType(ns, common.Name, ReadType(common.Value, ns, $"{at}.{common.Name}", 0));
                    }

                    break;
                case "annotations":
                    break;
                default:
                    throw new FormatException($"{path}: unknown field `{property.Name}`, expected `entityTypes`, `actions` or `commonTypes`");
            }
        }
    }

    private static RawEntity ReadEntity(string ns, string name, JsonElement element, string path)
    {
        Members(element, path);
        var memberOf = element.TryGetProperty("memberOfTypes", out var m) ? Strings(m, $"{path}.memberOfTypes") : [];
        var shape = element.TryGetProperty("shape", out var s) ? ReadType(s, ns, $"{path}.shape", 0) : null;
        var tags = element.TryGetProperty("tags", out var t) ? ReadType(t, ns, $"{path}.tags", 0) : null;
        var enumIds = element.TryGetProperty("enum", out var e) ? Strings(e, $"{path}.enum") : null;
        return new RawEntity(ns, name, memberOf, shape, tags, enumIds);
    }

    private static RawAction ReadAction(string ns, string name, JsonElement element, string path)
    {
        Members(element, path);
        var parents = new List<RawActionRef>();
        if (element.TryGetProperty("memberOf", out var memberOf))
        {
            foreach (var (parent, i) in Array(memberOf, $"{path}.memberOf").Select((p, i) => (p, i)))
            {
                var at = $"{path}.memberOf[{i}]";
                parents.Add(new RawActionRef(
                    parent.TryGetProperty("type", out var type) ? String(type, $"{at}.type") : null,
                    String(parent.TryGetProperty("id", out var id) ? id : throw new FormatException($"{at}: missing field `id`"), $"{at}.id")));
            }
        }

        if (!element.TryGetProperty("appliesTo", out var appliesTo) || appliesTo.ValueKind == JsonValueKind.Null)
        {
            return new RawAction(ns, name, parents, null, null, null);
        }

        Members(appliesTo, $"{path}.appliesTo");
        return new RawAction(
            ns,
            name,
            parents,
            appliesTo.TryGetProperty("principalTypes", out var p) ? Strings(p, $"{path}.appliesTo.principalTypes") : [],
            appliesTo.TryGetProperty("resourceTypes", out var r) ? Strings(r, $"{path}.appliesTo.resourceTypes") : [],
            appliesTo.TryGetProperty("context", out var c) ? ReadType(c, ns, $"{path}.appliesTo.context", 0) : null);
    }

    private static SchemaType ReadType(JsonElement element, string ns, string path, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new FormatException($"{path}: type is nested too deeply (the limit is {MaxDepth} levels)");
        }

        Members(element, path);
        var kind = element.TryGetProperty("type", out var t) ? String(t, $"{path}.type") : throw new FormatException($"{path}: missing field `type`");
        string Name() => element.TryGetProperty("name", out var n) ? String(n, $"{path}.name") : throw new FormatException($"{path}: missing field `name`");
        return kind switch
        {
            "Long" => PrimitiveType.Long,
            "String" => PrimitiveType.String,
            "Boolean" => PrimitiveType.Bool,
            "Set" => new SetType(ReadType(element.TryGetProperty("element", out var el) ? el : throw new FormatException($"{path}: missing field `element`"), ns, $"{path}.element", depth + 1)),
            "Record" => ReadRecord(element, ns, path, depth),
            "Entity" => new NamedType(Name(), ns, NameKind.Entity),
            "Extension" => new NamedType(Name(), ns, NameKind.Extension),
            "EntityOrCommon" => new NamedType(Name(), ns),
            _ => new NamedType(kind, ns),
        };
    }

    private static RecordType ReadRecord(JsonElement element, string ns, string path, int depth)
    {
        var attributes = new Dictionary<string, AttributeType>(StringComparer.Ordinal);
        if (element.TryGetProperty("attributes", out var members))
        {
            foreach (var attribute in Members(members, $"{path}.attributes"))
            {
                var at = $"{path}.attributes.{Display(attribute.Name)}";
                var required = !attribute.Value.TryGetProperty("required", out var r) || r.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw new FormatException($"{at}.required: expected a boolean"),
                };
                if (!attributes.TryAdd(attribute.Name, new AttributeType(ReadType(attribute.Value, ns, at, depth + 1), required)))
                {
                    throw new FormatException($"{at}: duplicate attribute");
                }
            }
        }

        return new RecordType(attributes);
    }

    private static List<JsonProperty> Members(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}: expected an object, found {element.ValueKind}");
        }

        var members = element.EnumerateObject().ToList();
        var duplicate = members.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null ? members : throw new FormatException($"{path}: duplicate key `{duplicate.Key}`");
    }

    private static List<JsonElement> Array(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.Array ? [.. element.EnumerateArray()] : throw new FormatException($"{path}: expected an array, found {element.ValueKind}");

    private static List<string> Strings(JsonElement element, string path) =>
        [.. Array(element, path).Select((e, i) => String(e, $"{path}[{i}]"))];

    private static string String(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : throw new FormatException($"{path}: expected a string, found {element.ValueKind}");

    private static string Display(string name) => name.Length == 0 ? "\"\"" : name;
}
