using System.Text.Json;
using Tessera.Policy.Entities;
using Tessera.Policy.Json;
using Tessera.Policy.Schema;
using Tessera.Policy.Values;

namespace Tessera.Policy.Authorization;

/// <summary>The <c>context</c> record of a request.</summary>
public sealed class RequestContext
{
    private RequestContext(RecordValue record) => Record = record;

    /// <summary>The empty context, <c>{}</c>.</summary>
    public static RequestContext Empty { get; } = new(RecordValue.Empty);

    internal RecordValue Record { get; }

    /// <summary>Parses a context from Cedar's JSON value format (an object; <c>__entity</c>/<c>__extn</c> escapes allowed).</summary>
    /// <param name="json">The JSON text of an object.</param>
    /// <returns>The context.</returns>
    /// <exception cref="FormatException">The JSON is malformed or not an object of Cedar values.</exception>
    public static RequestContext FromJson(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, JsonValueReader.DocumentOptions);
            return FromJson(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"context: invalid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a context from an already parsed JSON object.</summary>
    /// <param name="element">A JSON object.</param>
    /// <returns>The context.</returns>
    /// <exception cref="FormatException">The element is not an object of Cedar values.</exception>
    public static RequestContext FromJson(JsonElement element) => new(JsonValueReader.ReadRecord(element, "context"));

    /// <summary>Reads a context with schema-based parsing, using the context type the schema declares for <paramref name="action"/>.</summary>
    /// <param name="element">A JSON object.</param>
    /// <param name="schema">The schema.</param>
    /// <param name="action">The request's action; if the schema does not declare it, the context is read without types.</param>
    /// <returns>The context.</returns>
    /// <exception cref="FormatException">The element is not an object of Cedar values.</exception>
    public static RequestContext FromJson(JsonElement element, CedarSchema schema, EntityUid action)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var type = schema.Actions.TryGetValue(action, out var definition) ? definition.Context : null;
        return new(JsonValueReader.ReadRecord(element, "context", type, schema));
    }
}
