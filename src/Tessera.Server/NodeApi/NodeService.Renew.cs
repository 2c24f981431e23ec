using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Tessera.Contracts.Node.V1;
using Tessera.Server.Ca;
using Tessera.Server.Ca.Internal;

namespace Tessera.Server.NodeApi;

/// <summary>RenewAgent: a new agent SVID for an authenticated, unbanned agent.</summary>
internal sealed partial class NodeService
{
    public override async Task<RenewAgentResponse> RenewAgent(RenewAgentRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        var agent = await AuthenticateAsync("agent.renew", context).ConfigureAwait(false);
        var caller = AgentCaller(agent);
        PublicKey key;
        try
        {
            key = CsrReader.ReadPublicKey(request.Csr.Span);
        }
        catch (InvalidCsrException ex)
        {
            await RefuseAsync(caller, "agent.renew", agent.SpiffeId.ToString(), StatusCode.InvalidArgument, $"csr: {ex.Message}", ct).ConfigureAwait(false);
            throw;
        }

        // The serial the caller authenticated with stays valid for a short grace: if this response is lost, the
        // agent still holds that SVID and can renew again with it instead of being stranded.
        var callerSerial = AgentAuthenticator.ClientCertificate(context)!.SerialNumber;

        // The SVID record, the agent record and the audit record are one transaction. The agent is read again in
        // it: a ban or eviction that landed after authentication must not be overwritten by this renewal.
        var (svid, refusal) = await audit.WriteAuditedAsync<(IssuedAgentSvid?, string?)>(async (writer, token) =>
        {
            var current = await writer.GetAgentAsync(agent.SpiffeId, token).ConfigureAwait(false);
            if (current is null || current.Banned)
            {
                var reason = current is null ? AgentAuthenticator.NotAttested : AgentAuthenticator.Banned;
                return ((null, reason), [Event(caller, "agent.renew", agent.SpiffeId.ToString(), "denied", reason)]);
            }

            var issued = await issuer.IssueAsync(writer, agent.SpiffeId, key, token).ConfigureAwait(false);
            await writer.UpsertAgentAsync(current with
            {
                SvidSerial = issued.Serial,
                ExpiresAt = issued.NotAfter,
                PreviousSvidSerial = callerSerial,
                PreviousSvidGraceUntil = time.GetUtcNow() + AgentAuthenticator.RenewalGrace,
            }, token).ConfigureAwait(false);
            return ((issued, null), [Event(caller, "agent.renew", $"{agent.SpiffeId} serial {issued.Serial}")]);
        }, ct).ConfigureAwait(false);
        if (svid is null)
        {
            LogRefused(logger, "agent.renew", caller, refusal!);
            throw new RpcException(new Status(StatusCode.PermissionDenied, refusal!));
        }

        var response = new RenewAgentResponse();
        response.SvidChain.AddRange(svid.Chain);
        return response;
    }

    // Authentication failures are audited too: a refused agent is a security-relevant event.
    private async Task<Datastore.AttestedAgent> AuthenticateAsync(string action, ServerCallContext context)
    {
        try
        {
            return await authenticator.AuthenticateAsync(context, context.CancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            var subject = AgentAuthenticator.ClientCertificate(context) is { } certificate ? $"serial {certificate.SerialNumber}" : "no client certificate";
            await RecordAsync($"node at {NodeMapping.Clean(context.Peer)}", action, subject, context.CancellationToken, "denied", ex.Status.Detail).ConfigureAwait(false);
            throw;
        }
    }
}
