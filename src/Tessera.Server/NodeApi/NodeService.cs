using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.Node.V1;
using Tessera.Server.Attestation;
using Tessera.Server.Attestation.X509Pop;
using Tessera.Server.Audit;
using Tessera.Server.Ca;
using Tessera.Server.Ca.Internal;
using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.NodeApi;

/// <summary>
/// The node API (node.proto) on the agent port: attestation, agent SVID renewal, the entry/bundle stream and
/// signing for authorised entries. Every issuance and every refusal is an audit record.
/// </summary>
internal sealed partial class NodeService(
    CertificateAuthority ca,
    IDataStore store,
    IAuditLog audit,
    TimeProvider time,
    NodeAttestors attestors,
    AgentAuthenticator authenticator,
    AuthorisedEntries authorised,
    ChangeFeed changes,
    AgentSvidIssuer issuer,
    Revocations.RevocationRegistry revocations,
    IHostApplicationLifetime lifetime,
    Configuration.ServerOptions options,
    ILogger<NodeService> logger) : Node.NodeBase
{
    private static readonly TimeSpan FirstMessageTimeout = TimeSpan.FromSeconds(30);

    public override async Task Attest(IAsyncStreamReader<AttestRequest> requestStream, IServerStreamWriter<AttestResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(requestStream);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        var caller = $"node at {NodeMapping.Clean(context.Peer)}";
        AttestParams parameters;
        using (var firstTimeout = new CancellationTokenSource(FirstMessageTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, firstTimeout.Token))
        {
            bool received;
            try
            {
                received = await requestStream.MoveNext(linked.Token).WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (firstTimeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                received = false;
            }

            if (!received || requestStream.Current.StepCase != AttestRequest.StepOneofCase.Params)
            {
                await RefuseAsync(caller, "agent.attest", "node", StatusCode.InvalidArgument, $"the first message of Attest must be params, within {FirstMessageTimeout.TotalSeconds:0}s", ct).ConfigureAwait(false);
            }

            parameters = requestStream.Current.Params;
        }

        var type = NodeMapping.Clean(parameters.Type);
        var attestor = attestors.Find(parameters.Type);
        if (attestor is null)
        {
            await (parameters.Type == X509PopAttestor.TypeName
                ? RefuseAsync(caller, "agent.attest", type, StatusCode.PermissionDenied, "x509pop attestation is not enabled on this server (the operator must set x509pop_ca_bundle)", ct)
                : RefuseAsync(caller, "agent.attest", type, StatusCode.InvalidArgument, $"unknown attestation type '{type}'; this server offers {attestors.Describe()}", ct)).ConfigureAwait(false);
        }

        PublicKey key;
        try
        {
            // The CSR is checked before the evidence, so a bad CSR does not burn a single-use join token.
            key = CsrReader.ReadPublicKey(parameters.Csr.Span);
        }
        catch (InvalidCsrException ex)
        {
            await RefuseAsync(caller, "agent.attest", type, StatusCode.InvalidArgument, $"csr: {ex.Message}", ct).ConfigureAwait(false);
            throw;
        }

        var result = await attestor!.AttestAsync(new AttestationRequest(parameters.Payload.Memory, ChallengeAsync), ct).ConfigureAwait(false);
        if (!result.Succeeded && result.Claim is null)
        {
            await RefuseAsync(caller, "agent.attest", type, result.Malformed ? StatusCode.InvalidArgument : StatusCode.PermissionDenied, result.Reason, ct).ConfigureAwait(false);
        }

        // One transaction: the evidence spent (a join token consumed), the agent SVID and agent recorded, and the
        // attestation audited; a refusal found inside it commits only its audit record (and the spent token).
        var (agentId, svid, code, refusal) = await audit.WriteAuditedAsync<(SpiffeId, IssuedAgentSvid?, StatusCode, string?)>(async (writer, token) =>
        {
            var final = result.Claim is null ? result : await result.Claim(writer, token).ConfigureAwait(false);
            if (!final.Succeeded)
            {
                return ((default, null, final.Malformed ? StatusCode.InvalidArgument : StatusCode.PermissionDenied, final.Reason),
                    [Event(caller, "agent.attest", type, "denied", final.Reason)]);
            }

            var existing = await writer.GetAgentAsync(final.AgentId, token).ConfigureAwait(false);
            if (existing is { Banned: true })
            {
                return ((final.AgentId, null, StatusCode.PermissionDenied, AgentAuthenticator.Banned),
                    [Event(caller, "agent.attest", final.AgentId.ToString(), "denied", AgentAuthenticator.Banned)]);
            }

            var issued = await issuer.IssueAsync(writer, final.AgentId, key, token).ConfigureAwait(false);
            await writer.UpsertAgentAsync(new AttestedAgent
            {
                SpiffeId = final.AgentId,
                AttestationType = attestor.Type,
                SvidSerial = issued.Serial,
                ExpiresAt = issued.NotAfter,
                Banned = false,
            }, token).ConfigureAwait(false);
            return ((final.AgentId, issued, StatusCode.OK, null), [Event(caller, "agent.attest", $"{final.AgentId} ({attestor.Type}) serial {issued.Serial}")]);
        }, ct).ConfigureAwait(false);
        if (svid is null)
        {
            LogRefused(logger, "agent.attest", caller, refusal!);
            throw new RpcException(new Status(code, refusal!));
        }

        LogAttested(logger, agentId, attestor.Type, svid.Serial);
        var attested = new AttestResult { SpiffeId = agentId.ToString(), BundleJson = ca.Bundle.ToJson() };
        attested.SvidChain.AddRange(svid.Chain);
        await responseStream.WriteAsync(new AttestResponse { Result = attested }, ct).ConfigureAwait(false);

        async Task<byte[]?> ChallengeAsync(ReadOnlyMemory<byte> nonce, CancellationToken token)
        {
            await responseStream.WriteAsync(new AttestResponse { Challenge = new X509PopChallenge { Nonce = ByteString.CopyFrom(nonce.Span) } }, token).ConfigureAwait(false);
            // WaitAsync: the answer window holds even if the transport ignored the token while reading.
            if (!await requestStream.MoveNext(token).WaitAsync(token).ConfigureAwait(false))
            {
                return null;
            }

            return requestStream.Current.StepCase == AttestRequest.StepOneofCase.ChallengeResponse ? requestStream.Current.ChallengeResponse.ToByteArray() : null;
        }
    }

    private Task<Audit.AuditRecord> RecordAsync(string caller, string action, string target, CancellationToken cancellationToken, string outcome = "ok", string reason = "") =>
        audit.AppendAsync(Event(caller, action, target, outcome, reason), cancellationToken);

    private AuditEvent Event(string caller, string action, string target, string outcome = "ok", string reason = "") =>
        new(time.GetUtcNow(), caller, action, target, outcome, reason);

    // A refusal is audited with its reason, then reaches the caller with the same message.
    private async Task RefuseAsync(string caller, string action, string target, StatusCode code, string reason, CancellationToken cancellationToken)
    {
        await RecordAsync(caller, action, target, cancellationToken, "denied", reason).ConfigureAwait(false);
        LogRefused(logger, action, caller, reason);
        throw new RpcException(new Status(code, reason));
    }

    private static string AgentCaller(AttestedAgent agent) => $"agent {agent.SpiffeId}";

    // Peer-supplied text reaches these only through NodeMapping.Clean; keys and tokens never do.
    [LoggerMessage(EventId = 4200, Level = LogLevel.Information, Message = "agent {AgentId} attested ({Type}), SVID serial {Serial}")]
    private static partial void LogAttested(ILogger logger, Spiffe.Ids.SpiffeId agentId, string type, string serial);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "node API {Action} refused for {Caller}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string action, string caller, string reason);
}
