using Tessera.Policy.Entities;

namespace Tessera.Policy.Schema;

/// <summary>
/// A Cedar schema in the human-readable syntax. In this first slice it drives <em>schema-based parsing</em>
/// of entity and context JSON — plain <c>{"type", "id"}</c> objects become entity references and strings
/// become extension values where the schema says so, and actions declared in the schema become entities
/// with their action-group parents. The strict validator is later work.
/// </summary>
public sealed class CedarSchema
{
    private static readonly Dictionary<string, SchemaType> BuiltIns = new(StringComparer.Ordinal)
    {
        ["Bool"] = new PrimitiveType("Bool"),
        ["Boolean"] = new PrimitiveType("Bool"),
        ["Long"] = new PrimitiveType("Long"),
        ["String"] = new PrimitiveType("String"),
        ["ipaddr"] = new ExtensionType("ipaddr", "ip"),
        ["decimal"] = new ExtensionType("decimal", "decimal"),
        ["datetime"] = new ExtensionType("datetime", "datetime"),
        ["duration"] = new ExtensionType("duration", "duration"),
    };

    internal CedarSchema(
        IReadOnlyDictionary<string, SchemaType> entityAttributes,
        IReadOnlyDictionary<string, SchemaType> commonTypes,
        IReadOnlyDictionary<EntityUid, ActionDefinition> actions)
    {
        EntityAttributes = entityAttributes;
        CommonTypes = commonTypes;
        Actions = actions;
    }

    /// <summary>Entity type name to its attribute record type.</summary>
    internal IReadOnlyDictionary<string, SchemaType> EntityAttributes { get; }

    internal IReadOnlyDictionary<string, SchemaType> CommonTypes { get; }

    internal IReadOnlyDictionary<EntityUid, ActionDefinition> Actions { get; }

    /// <summary>Parses a schema written in Cedar's schema syntax.</summary>
    /// <param name="text">The schema text.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="Parsing.PolicyParseException">The text is not a valid schema; the message gives line and column.</exception>
    public static CedarSchema Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SchemaParser(text).Parse();
    }

    /// <summary>Resolves a named type: common types first, then entity types, then the built-in types.</summary>
    internal SchemaType Resolve(SchemaType type)
    {
        // Common types may refer to each other; the bound stops a cyclic definition.
        for (var i = 0; i < 32 && type is NamedType named; i++)
        {
            type = Lookup(named);
        }

        return type;
    }

    private SchemaType Lookup(NamedType named)
    {
        var name = named.Name.StartsWith("__cedar::", StringComparison.Ordinal) ? named.Name["__cedar::".Length..] : named.Name;
        foreach (var candidate in Candidates(name, named.Namespace))
        {
            if (CommonTypes.TryGetValue(candidate, out var common))
            {
                return common;
            }

            if (EntityAttributes.ContainsKey(candidate))
            {
                return new EntityType(candidate);
            }
        }

        return BuiltIns.TryGetValue(name, out var builtIn) ? builtIn : new EntityType(name);
    }

    private static IEnumerable<string> Candidates(string name, string ns) =>
        ns.Length == 0 ? [name] : [$"{ns}::{name}", name];
}
