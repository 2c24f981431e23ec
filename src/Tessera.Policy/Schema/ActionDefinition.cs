using Tessera.Policy.Entities;

namespace Tessera.Policy.Schema;

/// <summary>An action declared in a schema: its parent action groups and its context type.</summary>
internal sealed record ActionDefinition(EntityUid Uid, IReadOnlyList<EntityUid> Parents, SchemaType? Context);
