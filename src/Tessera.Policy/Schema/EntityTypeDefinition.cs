namespace Tessera.Policy.Schema;

/// <summary>
/// An entity type declared in a schema: the types its entities may be members of, its attributes, its tag
/// type (null when entities of the type have no tags) and, for an enumerated type, the allowed ids.
/// </summary>
internal sealed record EntityTypeDefinition(
    string Name,
    IReadOnlyList<string> MemberOfTypes,
    RecordType Attributes,
    SchemaType? Tags,
    IReadOnlyList<string>? EnumIds);
