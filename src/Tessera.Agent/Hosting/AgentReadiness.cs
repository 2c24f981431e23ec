using Tessera.Agent.Cache;
using Tessera.Agent.NodeAttestation;

namespace Tessera.Agent.Hosting;

/// <summary>Ready = attested (an agent SVID the server has not refused) and the first full sync has arrived.</summary>
internal sealed class AgentReadiness(AgentIdentity identity, IdentityCache cache)
{
    public bool IsReady => identity.Svid is not null && !identity.Refused && cache.Current.Synced;
}
