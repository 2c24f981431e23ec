using Tessera.Spiffe.Revocation;

namespace Tessera.Spiffe.WorkloadApi;

/// <summary>One message of the agent's deny-list stream: the whole current list and its version.</summary>
/// <param name="Version">Grows with every message the agent process sends; a restarted agent starts again from 1.</param>
/// <param name="DenyList">Every revoked credential that has not yet expired.</param>
public sealed record DenyListUpdate(ulong Version, DenyList DenyList);
