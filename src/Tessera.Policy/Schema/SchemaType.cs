namespace Tessera.Policy.Schema;

/// <summary>A type in a schema. <see cref="NamedType"/> is a reference resolved against the schema on use.</summary>
internal abstract record SchemaType;

/// <summary><c>Bool</c>, <c>Long</c> or <c>String</c>.</summary>
internal sealed record PrimitiveType(string Name) : SchemaType;

/// <summary>An entity type, by fully qualified name.</summary>
internal sealed record EntityType(string Name) : SchemaType;

/// <summary><c>ipaddr</c>, <c>decimal</c>, <c>datetime</c> or <c>duration</c>; <see cref="Constructor"/> builds one from a string.</summary>
internal sealed record ExtensionType(string Name, string Constructor) : SchemaType;

/// <summary><c>Set&lt;Element&gt;</c>.</summary>
internal sealed record SetType(SchemaType Element) : SchemaType;

/// <summary>A record type; <see cref="Attributes"/> maps names to types (optionality is ignored until the validator).</summary>
internal sealed record RecordType(IReadOnlyDictionary<string, SchemaType> Attributes) : SchemaType;

/// <summary>An unresolved type name as written, with the namespace it was written in.</summary>
internal sealed record NamedType(string Name, string Namespace) : SchemaType;
