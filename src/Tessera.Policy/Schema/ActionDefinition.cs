using Tessera.Policy.Entities;

namespace Tessera.Policy.Schema;

/// <summary>
/// An action declared in a schema: its parent action groups and what it applies to. An action without
/// <c>appliesTo</c> has empty principal and resource lists and so applies to no request.
/// </summary>
internal sealed record ActionDefinition(
    EntityUid Uid,
    IReadOnlyList<EntityUid> Parents,
    IReadOnlyList<string> PrincipalTypes,
    IReadOnlyList<string> ResourceTypes,
    RecordType Context);
