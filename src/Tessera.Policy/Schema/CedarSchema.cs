using Tessera.Policy.Entities;

namespace Tessera.Policy.Schema;

/// <summary>
/// A Cedar schema, read from the Cedar schema syntax (<see cref="Parse"/>) or from Cedar's JSON schema
/// format (<see cref="ParseJson"/>); both produce the same model. It drives the validator
/// (<see cref="PolicySet.Validate"/>), request validation, and schema-based parsing of entity and context JSON.
/// </summary>
public sealed class CedarSchema
{
    internal CedarSchema(IReadOnlyDictionary<string, EntityTypeDefinition> entityTypes, IReadOnlyDictionary<EntityUid, ActionDefinition> actions)
    {
        EntityTypes = entityTypes;
        Actions = actions;
        ActionTypes = actions.Keys.Select(a => a.Type).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Declared entity types by fully qualified name (action types are not among them).</summary>
    internal IReadOnlyDictionary<string, EntityTypeDefinition> EntityTypes { get; }

    internal IReadOnlyDictionary<EntityUid, ActionDefinition> Actions { get; }

    /// <summary>The entity types of the declared actions (<c>Action</c>, <c>NS::Action</c>, …).</summary>
    internal IReadOnlySet<string> ActionTypes { get; }

    /// <summary>Parses a schema written in Cedar's schema syntax.</summary>
    /// <param name="text">The schema text.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="Parsing.PolicyParseException">The text is not valid schema syntax; the message gives line and column.</exception>
    /// <exception cref="FormatException">The schema refers to undeclared types or actions, or declares one twice.</exception>
    public static CedarSchema Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new SchemaParser(text).Parse();
    }

    /// <summary>Parses a schema in Cedar's JSON schema format (namespaces mapping to <c>entityTypes</c>, <c>actions</c> and <c>commonTypes</c>).</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The schema.</returns>
    /// <exception cref="FormatException">The JSON is malformed, not a schema, or refers to undeclared types or actions; the message gives the JSON path.</exception>
    public static CedarSchema ParseJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return JsonSchemaReader.Read(json);
    }

    /// <summary>
    /// Returns a canonical, line-per-declaration description of the schema (sorted, fully qualified, common
    /// types inlined): two schemas with the same meaning describe alike, whichever format they were written in.
    /// </summary>
    /// <returns>The description.</returns>
    public string Describe()
    {
        var lines = new List<string>();
        foreach (var e in EntityTypes.Values)
        {
            var memberOf = e.MemberOfTypes.Count == 0 ? string.Empty : $" in [{string.Join(", ", e.MemberOfTypes.Order(StringComparer.Ordinal))}]";
            var tags = e.Tags is null ? string.Empty : $" tags {e.Tags}";
            var enumIds = e.EnumIds is null ? string.Empty : $" enum [{string.Join(", ", e.EnumIds.Select(Internal.CedarStrings.Quote))}]";
            lines.Add($"entity {e.Name}{memberOf} {e.Attributes}{tags}{enumIds};");
        }

        foreach (var a in Actions.Values)
        {
            var parents = a.Parents.Count == 0 ? string.Empty : $" in [{string.Join(", ", a.Parents.Select(p => p.ToString()).Order(StringComparer.Ordinal))}]";
            lines.Add($"action {a.Uid}{parents} appliesTo {{ principal: [{string.Join(", ", a.PrincipalTypes.Order(StringComparer.Ordinal))}], "
                + $"resource: [{string.Join(", ", a.ResourceTypes.Order(StringComparer.Ordinal))}], context: {a.Context} }};");
        }

        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines);
    }

    /// <summary>True when <paramref name="type"/> is a declared entity type or the type of a declared action.</summary>
    internal bool IsKnownEntityType(string type) => EntityTypes.ContainsKey(type) || ActionTypes.Contains(type);

    /// <summary>True when an entity of type <paramref name="child"/> may be a member (directly or transitively) of one of type <paramref name="ancestor"/>.</summary>
    internal bool MayBeDescendant(string child, string ancestor)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { child };
        var queue = new Queue<string>([child]);
        while (queue.TryDequeue(out var current))
        {
            if (current == ancestor)
            {
                return true;
            }

            if (EntityTypes.TryGetValue(current, out var definition))
            {
                foreach (var parent in definition.MemberOfTypes.Where(seen.Add))
                {
                    queue.Enqueue(parent);
                }
            }
        }

        return false;
    }

    /// <summary>True when action <paramref name="child"/> is <paramref name="ancestor"/> or in its group hierarchy.</summary>
    internal bool IsActionDescendant(EntityUid child, EntityUid ancestor)
    {
        var seen = new HashSet<EntityUid> { child };
        var queue = new Queue<EntityUid>([child]);
        while (queue.TryDequeue(out var current))
        {
            if (current == ancestor)
            {
                return true;
            }

            if (Actions.TryGetValue(current, out var definition))
            {
                foreach (var parent in definition.Parents.Where(seen.Add))
                {
                    queue.Enqueue(parent);
                }
            }
        }

        return false;
    }
}
