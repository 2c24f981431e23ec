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

        // The SVID record, the agent record and the audit record are one transaction.
        var svid = await audit.WriteAuditedAsync<IssuedAgentSvid>(async (writer, token) =>
        {
            var issued = await issuer.IssueAsync(writer, agent.SpiffeId, key, token).ConfigureAwait(false);
            await writer.UpsertAgentAsync(agent with
            {
                SvidSerial = issued.Serial,
                ExpiresAt = issued.NotAfter,
                PreviousSvidSerial = callerSerial,
                PreviousSvidGraceUntil = time.GetUtcNow() + AgentAuthenticator.RenewalGrace,
            }, token).ConfigureAwait(false);
            return (issued, [Event(caller, "agent.renew", $"{agent.SpiffeId} serial {issued.Serial}")]);
        }, ct).ConfigureAwait(false);
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
