namespace Tessera.Policy.Schema;

/// <summary>An entity type as written in either schema format, before names are resolved.</summary>
internal sealed record RawEntity(string Namespace, string Name, IReadOnlyList<string> MemberOf, SchemaType? Shape, SchemaType? Tags, IReadOnlyList<string>? EnumIds);

/// <summary>An action as written, before names are resolved. A null <see cref="Principals"/> means no <c>appliesTo</c>.</summary>
internal sealed record RawAction(
    string Namespace,
    string Name,
    IReadOnlyList<RawActionRef> Parents,
    IReadOnlyList<string>? Principals,
    IReadOnlyList<string>? Resources,
    SchemaType? Context);

/// <summary>A reference to an action group: its id and, when written, its entity type.</summary>
internal sealed record RawActionRef(string? Type, string Id);
