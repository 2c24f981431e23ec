using Tessera.Policy.Entities;

namespace Tessera.Policy.Values;

/// <summary>A reference to an entity by its UID; the entity itself may or may not exist in the store.</summary>
internal sealed class EntityValue(EntityUid uid) : Value
{
    public EntityUid Uid { get; } = uid;

    public override string TypeName => "entity";

    public override bool Equals(Value? other) => other is EntityValue e && e.Uid.Equals(Uid);

    public override int GetHashCode() => Uid.GetHashCode();

    public override string ToString() => Uid.ToString();
}
