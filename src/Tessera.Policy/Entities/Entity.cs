using Tessera.Policy.Values;

namespace Tessera.Policy.Entities;

/// <summary>An entity: its UID, attributes, direct parents and tags.</summary>
internal sealed class Entity(
    EntityUid uid,
    IReadOnlyDictionary<string, Value> attributes,
    IReadOnlySet<EntityUid> parents,
    IReadOnlyDictionary<string, Value> tags)
{
    public EntityUid Uid { get; } = uid;

    public IReadOnlyDictionary<string, Value> Attributes { get; } = attributes;

    public IReadOnlySet<EntityUid> Parents { get; } = parents;

    public IReadOnlyDictionary<string, Value> Tags { get; } = tags;
}
