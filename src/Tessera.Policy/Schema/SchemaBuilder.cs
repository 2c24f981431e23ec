using Tessera.Policy.Entities;

namespace Tessera.Policy.Schema;

/// <summary>
/// Collects the declarations read by either schema parser (Cedar syntax or JSON) and resolves them into one
/// <see cref="CedarSchema"/>, so the two formats share every naming rule. A name written inside namespace
/// <c>NS</c> is looked up as <c>NS::name</c> first, then in the empty namespace, then among the built-in
/// types (which may also be written <c>__cedar::name</c>); common types are inlined. Unknown names,
/// duplicate declarations and cyclic common types are <see cref="FormatException"/>s.
/// </summary>
internal sealed class SchemaBuilder
{
    private const int MaxCommonTypeDepth = 64;

    private static readonly Dictionary<string, SchemaType> BuiltIns = new(StringComparer.Ordinal)
    {
        ["Bool"] = PrimitiveType.Bool,
        ["Boolean"] = PrimitiveType.Bool,
        ["Long"] = PrimitiveType.Long,
        ["String"] = PrimitiveType.String,
        ["ipaddr"] = new ExtensionType("ipaddr", "ip"),
        ["decimal"] = new ExtensionType("decimal", "decimal"),
        ["datetime"] = new ExtensionType("datetime", "datetime"),
        ["duration"] = new ExtensionType("duration", "duration"),
    };

    private readonly Dictionary<string, SchemaType> _commonTypes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RawEntity> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<EntityUid, RawAction> _actions = [];
    private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);

    public static string Qualify(string ns, string name) => ns.Length == 0 ? name : $"{ns}::{name}";

    public void AddCommonType(string ns, string name, SchemaType type)
    {
        if (BuiltIns.ContainsKey(name))
        {
            throw new FormatException($"schema: common type `{name}` would shadow the built-in type of that name");
        }

        if (!_commonTypes.TryAdd(Qualify(ns, name), type))
        {
            throw new FormatException($"schema: duplicate common type `{Qualify(ns, name)}`");
        }
    }

    public void AddEntity(RawEntity entity)
    {
        if (!_entities.TryAdd(Qualify(entity.Namespace, entity.Name), entity))
        {
            throw new FormatException($"schema: duplicate entity type `{Qualify(entity.Namespace, entity.Name)}`");
        }
    }

    public void AddAction(RawAction action)
    {
        var uid = new EntityUid(Qualify(action.Namespace, "Action"), action.Name);
        if (!_actions.TryAdd(uid, action))
        {
            throw new FormatException($"schema: duplicate action `{uid}`");
        }
    }

    public CedarSchema Build()
    {
        var entities = new Dictionary<string, EntityTypeDefinition>(StringComparer.Ordinal);
        foreach (var (name, raw) in _entities)
        {
            var attributes = raw.Shape is null ? RecordType.Empty : Resolve(raw.Shape, raw.Namespace) as RecordType
                ?? throw new FormatException($"schema: the shape of entity type `{name}` must be a record");
            entities[name] = new EntityTypeDefinition(
                name,
                [.. raw.MemberOf.Select(m => ResolveEntityName(m, raw.Namespace)).Distinct(StringComparer.Ordinal)],
                attributes,
                raw.Tags is null ? null : Resolve(raw.Tags, raw.Namespace),
                raw.EnumIds);
        }

        var actions = new Dictionary<EntityUid, ActionDefinition>();
        foreach (var (uid, raw) in _actions)
        {
            var context = raw.Context is null ? RecordType.Empty : Resolve(raw.Context, raw.Namespace) as RecordType
                ?? throw new FormatException($"schema: the context of action `{uid}` must be a record");
            actions[uid] = new ActionDefinition(
                uid,
                [.. raw.Parents.Select(p => ResolveAction(p, raw.Namespace)).Distinct()],
                [.. (raw.Principals ?? []).Select(p => ResolveEntityName(p, raw.Namespace)).Distinct(StringComparer.Ordinal)],
                [.. (raw.Resources ?? []).Select(r => ResolveEntityName(r, raw.Namespace)).Distinct(StringComparer.Ordinal)],
                context);
        }

        return new CedarSchema(entities, actions);
    }

    private EntityUid ResolveAction(RawActionRef reference, string ns)
    {
        // An action group written without a type, or with the bare type `Action`, is in the current namespace.
        var type = reference.Type is null or "Action" ? Qualify(ns, "Action") : reference.Type;
        var uid = new EntityUid(type, reference.Id);
        return _actions.ContainsKey(uid) ? uid : throw new FormatException($"schema: undeclared action `{uid}`");
    }

    private string ResolveEntityName(string name, string ns)
    {
        if (!name.Contains("::", StringComparison.Ordinal) && _entities.ContainsKey(Qualify(ns, name)))
        {
            return Qualify(ns, name);
        }

        return _entities.ContainsKey(name) ? name : throw new FormatException($"schema: undeclared entity type `{name}`");
    }

    private SchemaType Resolve(SchemaType type, string ns) => type switch
    {
        NamedType named => ResolveName(named),
        SetType set => new SetType(Resolve(set.Element, ns)),
        RecordType record => new RecordType(record.Attributes.ToDictionary(
            a => a.Key,
            a => a.Value with { Type = Resolve(a.Value.Type, ns) },
            StringComparer.Ordinal)),
        _ => type,
    };

    private SchemaType ResolveName(NamedType named)
    {
        var (name, ns) = (named.Name, named.Namespace);
        if (name.StartsWith("__cedar::", StringComparison.Ordinal))
        {
            return BuiltIns.TryGetValue(name["__cedar::".Length..], out var builtIn)
                ? builtIn
                : throw new FormatException($"schema: unknown built-in type `{name}`");
        }

        if (named.Kind == NameKind.Entity)
        {
            return new EntityType(ResolveEntityName(name, ns));
        }

        if (named.Kind == NameKind.EntityOrCommon)
        {
            IEnumerable<string> candidates = name.Contains("::", StringComparison.Ordinal) || ns.Length == 0 ? [name] : [Qualify(ns, name), name];
            foreach (var candidate in candidates)
            {
                if (_commonTypes.TryGetValue(candidate, out var common))
                {
                    return ResolveCommon(candidate, common);
                }

                if (_entities.ContainsKey(candidate))
                {
                    return new EntityType(candidate);
                }
            }
        }

        return BuiltIns.TryGetValue(name, out var type) && (named.Kind != NameKind.Extension || type is ExtensionType)
            ? type
            : throw new FormatException($"schema: undeclared {(named.Kind == NameKind.Extension ? "extension type" : "type")} `{name}`");
    }

    private SchemaType ResolveCommon(string qualifiedName, SchemaType definition)
    {
        if (_resolving.Count >= MaxCommonTypeDepth || !_resolving.Add(qualifiedName))
        {
            throw new FormatException($"schema: common type `{qualifiedName}` is defined in terms of itself");
        }

        try
        {
            var ns = qualifiedName.Contains("::", StringComparison.Ordinal) ? qualifiedName[..qualifiedName.LastIndexOf("::", StringComparison.Ordinal)] : string.Empty;
            return Resolve(definition, ns);
        }
        finally
        {
            _resolving.Remove(qualifiedName);
        }
    }
}
