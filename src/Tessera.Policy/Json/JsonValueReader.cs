using System.Text.Json;
using Tessera.Policy.Entities;
using Tessera.Policy.Evaluation;
using Tessera.Policy.Extensions;
using Tessera.Policy.Schema;
using Tessera.Policy.Values;

namespace Tessera.Policy.Json;

/// <summary>
/// Converts Cedar's JSON value format (without a schema) to values: booleans, integers, strings, arrays as
/// sets, objects as records, and the escapes <c>{"__entity": {"type", "id"}}</c> and
/// <c>{"__extn": {"fn", "arg"}}</c> / <c>{"__extn": {"fn", "args": [...]}}</c>. With a schema type
/// (schema-based parsing), a plain <c>{"type", "id"}</c> where an entity is expected is an entity reference
/// and a string where an extension type is expected is passed to that type's constructor.
/// </summary>
internal static class JsonValueReader
{
    /// <summary>JSON nesting allowed in entity and context documents; deeper input is rejected, not recursed into.</summary>
    public const int MaxDepth = 128;

    public static JsonDocumentOptions DocumentOptions { get; } = new() { MaxDepth = MaxDepth };

    public static Value Read(JsonElement element, string path, SchemaType? type = null, CedarSchema? schema = null)
    {
        var expected = schema is null ? null : type;
        switch (expected)
        {
            case EntityType when element.ValueKind == JsonValueKind.Object && !IsEscape(element):
                return new EntityValue(ReadUid(element, path));
            case ExtensionType extension when element.ValueKind == JsonValueKind.String:
                return CallExtension(extension.Constructor, [new StringValue(element.GetString()!)], path);
            case SetType set when element.ValueKind == JsonValueKind.Array:
                return new SetValue([.. element.EnumerateArray().Select((e, i) => Read(e, $"{path}[{i}]", set.Element, schema))]);
            case RecordType record when element.ValueKind == JsonValueKind.Object && !IsEscape(element):
                return ReadRecord(element, path, record, schema);
            default:
                return ReadUntyped(element, path);
        }
    }

    private static bool IsEscape(JsonElement element) =>
        element.TryGetProperty("__entity", out _) || element.TryGetProperty("__extn", out _);

    private static Value ReadUntyped(JsonElement element, string path) => element.ValueKind switch
    {
        JsonValueKind.True => BoolValue.True,
        JsonValueKind.False => BoolValue.False,
        JsonValueKind.Number => element.TryGetInt64(out var l)
            ? new LongValue(l)
            : throw new FormatException($"{path}: {element.GetRawText()} is not a 64-bit integer"),
        JsonValueKind.String => new StringValue(element.GetString()!),
        JsonValueKind.Array => new SetValue([.. element.EnumerateArray().Select((e, i) => Read(e, $"{path}[{i}]"))]),
        JsonValueKind.Object => ReadObject(element, path),
        _ => throw new FormatException($"{path}: {element.ValueKind} is not a Cedar value"),
    };

    public static RecordValue ReadRecord(JsonElement element, string path, RecordType? type = null, CedarSchema? schema = null)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{path}: expected an object, found {element.ValueKind}");
        }

        var fields = new Dictionary<string, Value>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var fieldType = type is not null && type.Attributes.TryGetValue(property.Name, out var t) ? t.Type : null;
            if (!fields.TryAdd(property.Name, Read(property.Value, $"{path}.{property.Name}", fieldType, schema)))
            {
                throw new FormatException($"{path}: duplicate key `{property.Name}`");
            }
        }

        return new RecordValue(fields);
    }

    public static EntityUid ReadUid(JsonElement element, string path)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("__entity", out var inner))
        {
            element = inner;
        }

        if (!IsTypeAndId(element))
        {
            throw new FormatException($"{path}: expected an entity reference {{\"type\": …, \"id\": …}}");
        }

        var type = element.GetProperty("type").GetString()!;
        if (!EntityTypeNames.IsValid(type))
        {
            throw new FormatException($"{path}: `{type}` is not a valid entity type name");
        }

        return new EntityUid(type, element.GetProperty("id").GetString()!);
    }

    private static bool IsTypeAndId(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
        && element.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
        && element.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String;

    // Mirrors the reference's untagged JSON decoding: a one-key object is an escape only when its body has
    // the escape's shape (`{type, id}`; `{fn, arg}` or `{fn, args: [...]}`); otherwise it is a record.
    // `__expr` was removed from Cedar and is refused rather than read as a record.
    private static Value ReadObject(JsonElement element, string path)
    {
        var count = element.EnumerateObject().Count();
        if (count == 1 && element.TryGetProperty("__expr", out _))
        {
            throw new FormatException($"{path}: the `__expr` escape is no longer supported");
        }

        if (count == 1 && element.TryGetProperty("__entity", out var entity) && IsTypeAndId(entity))
        {
            return new EntityValue(ReadUid(element, path));
        }

        if (count == 1 && element.TryGetProperty("__extn", out var extn) && IsExtensionCall(extn))
        {
            return ReadExtension(extn, path);
        }

        return ReadRecord(element, path);
    }

    private static bool IsExtensionCall(JsonElement extn) =>
        extn.ValueKind == JsonValueKind.Object
        && extn.TryGetProperty("fn", out var fn) && fn.ValueKind == JsonValueKind.String
        && (extn.TryGetProperty("arg", out _) || (extn.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Array));

    private static Value ReadExtension(JsonElement extn, string path)
    {
        if (extn.ValueKind != JsonValueKind.Object || !extn.TryGetProperty("fn", out var fn) || fn.ValueKind != JsonValueKind.String)
        {
            throw new FormatException($"{path}: `__extn` needs a string `fn`");
        }

        List<Value> args;
        if (extn.TryGetProperty("arg", out var arg))
        {
            args = [Read(arg, $"{path}.__extn.arg")];
        }
        else if (extn.TryGetProperty("args", out var many) && many.ValueKind == JsonValueKind.Array)
        {
            args = [.. many.EnumerateArray().Select((a, i) => Read(a, $"{path}.__extn.args[{i}]"))];
        }
        else
        {
            throw new FormatException($"{path}: `__extn` needs `arg` or an `args` array");
        }

        return CallExtension(fn.GetString()!, args, path);
    }

    private static Value CallExtension(string function, List<Value> args, string path)
    {
        try
        {
            return ExtensionFunctions.Call(function, args);
        }
        catch (EvaluationException ex)
        {
            throw new FormatException($"{path}: {ex.Message}", ex);
        }
    }
}
