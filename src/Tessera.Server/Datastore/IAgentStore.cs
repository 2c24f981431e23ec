using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>Attested agents, keyed by SPIFFE ID.</summary>
internal interface IAgentStore
{
    /// <summary>Creates or replaces the agent.</summary>
    Task UpsertAgentAsync(AttestedAgent agent, CancellationToken cancellationToken);

    /// <summary>Returns the agent, or null.</summary>
    Task<AttestedAgent?> GetAgentAsync(SpiffeId spiffeId, CancellationToken cancellationToken);

    /// <summary>Lists every agent ordered by SPIFFE ID.</summary>
    Task<IReadOnlyList<AttestedAgent>> ListAgentsAsync(CancellationToken cancellationToken);

    /// <summary>Deletes (evicts) the agent; false if absent.</summary>
    Task<bool> DeleteAgentAsync(SpiffeId spiffeId, CancellationToken cancellationToken);
}
