namespace Tessera.Policy.Schema;

/// <summary>What a type name written in a schema may refer to (the JSON format says which; the Cedar syntax does not).</summary>
internal enum NameKind
{
    /// <summary>A common type, an entity type or a built-in type, looked up in that order.</summary>
    EntityOrCommon,

    /// <summary>An entity type only (JSON <c>{"type": "Entity"}</c>).</summary>
    Entity,

    /// <summary>An extension type only (JSON <c>{"type": "Extension"}</c>).</summary>
    Extension,
}
