namespace Tessera.Policy.Schema;

/// <summary>
/// A type in a schema. After <see cref="SchemaBuilder"/> has resolved a schema every type is one of the
/// concrete kinds below; <see cref="NamedType"/> exists only while a schema is being read. <c>ToString</c>
/// prints the type the way error messages and the schema comparison tests show it.
/// </summary>
internal abstract record SchemaType;

/// <summary><c>Bool</c>, <c>Long</c> or <c>String</c>.</summary>
internal sealed record PrimitiveType(string Name) : SchemaType
{
    public static readonly PrimitiveType Bool = new("Bool");
    public static readonly PrimitiveType Long = new("Long");
    public static readonly PrimitiveType String = new("String");

    public override string ToString() => Name;
}

/// <summary>An entity type, by fully qualified name.</summary>
internal sealed record EntityType(string Name) : SchemaType
{
    public override string ToString() => Name;
}

/// <summary><c>ipaddr</c>, <c>decimal</c>, <c>datetime</c> or <c>duration</c>; <see cref="Constructor"/> builds one from a string.</summary>
internal sealed record ExtensionType(string Name, string Constructor) : SchemaType
{
    public override string ToString() => Name;
}

/// <summary><c>Set&lt;Element&gt;</c>.</summary>
internal sealed record SetType(SchemaType Element) : SchemaType
{
    public override string ToString() => $"Set<{Element}>";
}

/// <summary>An unresolved type name as written, with the namespace it was written in and what it may name.</summary>
internal sealed record NamedType(string Name, string Namespace, NameKind Kind = NameKind.EntityOrCommon) : SchemaType
{
    public override string ToString() => Name;
}
