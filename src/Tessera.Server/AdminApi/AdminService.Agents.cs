using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Transport;
using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.AdminApi;

/// <summary>
/// Attested agents: list, show, ban (the record stays, flagged; the agent is refused everywhere) and evict (the
/// record goes; the agent's SVID stops working and it must attest again). Both revoke every current SVID issued
/// through the agent. Ban and evict end the agent's open
/// Sync streams through the change feed.
/// </summary>
internal sealed partial class AdminService
{
    public override async Task<ListAgentsResponse> ListAgents(ListAgentsRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var agents = await store.ListAgentsAsync(context.CancellationToken).ConfigureAwait(false);
        await RecordAsync(caller, "agent.list", "agents", context.CancellationToken).ConfigureAwait(false);
        var response = new ListAgentsResponse();
        response.Agents.AddRange(agents.Select(ToWire));
        return response;
    }

    public override async Task<Agent> GetAgent(GetAgentRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var id = await AgentIdAsync(caller, "agent.show", request.SpiffeId, context.CancellationToken).ConfigureAwait(false);
        var agent = await store.GetAgentAsync(id, context.CancellationToken).ConfigureAwait(false);
        await RecordAsync(caller, "agent.show", id.ToString(), context.CancellationToken, agent is null ? "error" : "ok", agent is null ? "no such agent" : string.Empty).ConfigureAwait(false);
        return agent is null ? throw AgentNotFound(id) : ToWire(agent);
    }

    public override async Task<Agent> BanAgent(BanAgentRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var id = await AgentIdAsync(caller, "agent.ban", request.SpiffeId, ct).ConfigureAwait(false);
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "agent banned" : request.Reason.Trim();
        var now = time.GetUtcNow();
        // Read, flag, revoke and audit in one transaction: the ban cannot overwrite a renewal that landed in between,
        // and every current SVID issued through the agent (and the agent's own) is revoked with it.
        var (banned, revoked) = await audit.WriteAuditedAsync<(AttestedAgent?, List<Datastore.Revocation>)>(async (writer, token) =>
        {
            var agent = await writer.GetAgentAsync(id, token).ConfigureAwait(false);
            if (agent is null)
            {
                return ((null, []), [Event(caller, "agent.ban", id.ToString(), "error", "no such agent")]);
            }

            var flagged = agent with { Banned = true };
            await writer.UpsertAgentAsync(flagged, token).ConfigureAwait(false);
            var issued = await writer.ListCurrentIssuedSvidsAsync(null, id, now, token).ConfigureAwait(false);
            var own = await writer.ListCurrentIssuedSvidsAsync(id, null, now, token).ConfigureAwait(false);
            var (records, events) = await RevokeAsync(writer, caller, "svid.x509.revoke", $"{reason} (agent {id})", now, issued.Concat(own), token).ConfigureAwait(false);
            return ((flagged, records), [Event(caller, "agent.ban", id.ToString(), "ok", reason), .. events]);
        }, ct).ConfigureAwait(false);
        if (banned is null)
        {
            throw AgentNotFound(id);
        }

        if (revoked.Count > 0)
        {
            await revocations.RefreshAsync(ct).ConfigureAwait(false);
        }

        changes.Signal();
        var wire = ToWire(banned);
        wire.RevokedSvids = revoked.Count(r => r.SpiffeId != id);
        return wire;
    }

    public override async Task<EvictAgentResponse> EvictAgent(EvictAgentRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var id = await AgentIdAsync(caller, "agent.evict", request.SpiffeId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var reason = string.IsNullOrWhiteSpace(request.Reason) ? "agent evicted" : request.Reason.Trim();
        // Like ban: delete, revoke every current SVID issued through the agent (and its own) and audit, in one
        // transaction. Without the revocations, SVIDs the evicted agent already handed out would stay usable until expiry.
        var (deleted, revoked) = await audit.WriteAuditedAsync<(bool, List<Datastore.Revocation>)>(async (writer, token) =>
        {
            var done = await writer.DeleteAgentAsync(id, token).ConfigureAwait(false);
            if (!done)
            {
                return ((false, []), [Event(caller, "agent.evict", id.ToString(), "error", "no such agent")]);
            }

            var issued = await writer.ListCurrentIssuedSvidsAsync(null, id, now, token).ConfigureAwait(false);
            var own = await writer.ListCurrentIssuedSvidsAsync(id, null, now, token).ConfigureAwait(false);
            var (records, events) = await RevokeAsync(writer, caller, "svid.x509.revoke", $"{reason} (agent {id})", now, issued.Concat(own), token).ConfigureAwait(false);
            return ((true, records), [Event(caller, "agent.evict", id.ToString(), "ok", reason), .. events]);
        }, ct).ConfigureAwait(false);
        if (!deleted)
        {
            throw AgentNotFound(id);
        }

        if (revoked.Count > 0)
        {
            await revocations.RefreshAsync(ct).ConfigureAwait(false);
        }

        changes.Signal();
        return new EvictAgentResponse { RevokedSvids = revoked.Count(r => r.SpiffeId != id) };
    }

    private async Task<SpiffeId> AgentIdAsync(PeerCredentials caller, string action, string text, CancellationToken ct)
    {
        if (!SpiffeId.TryParse(text, out var id, out var error))
        {
            await RefuseAsync(caller, action, "agent", $"spiffe_id: {error}", ct).ConfigureAwait(false);
        }

        return id;
    }

    private static Agent ToWire(AttestedAgent agent) => new()
    {
        SpiffeId = agent.SpiffeId.ToString(),
        AttestationType = agent.AttestationType,
        SvidSerial = agent.SvidSerial,
        SvidExpiresAtUnix = agent.ExpiresAt.ToUnixTimeSeconds(),
        Banned = agent.Banned,
    };

    private static RpcException AgentNotFound(SpiffeId id) => new(new Status(StatusCode.NotFound, $"no agent '{id}'"));
}
