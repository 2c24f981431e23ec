namespace Tessera.Policy.Schema;

/// <summary>The type of one record attribute and whether the attribute must be present.</summary>
internal sealed record AttributeType(SchemaType Type, bool Required);
