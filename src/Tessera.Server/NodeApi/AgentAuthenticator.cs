using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Tessera.Server.Ca;
using Tessera.Server.Datastore;
using Tessera.Spiffe.X509;

namespace Tessera.Server.NodeApi;

/// <summary>
/// Authenticates the calling agent of every node RPC but Attest. The client certificate must verify against the
/// server's current bundle (X509SvidVerifier), name an agent that has a record (the record, not the ID's path,
/// is the truth: join tokens may carry any ID), that is not banned, and whose current SVID serial it is.
/// The previous serial is accepted until <see cref="AttestedAgent.PreviousSvidGraceUntil"/> (see
/// <see cref="RenewalGrace"/>) so an agent whose RenewAgent response was lost can still renew with its old SVID.
/// </summary>
internal sealed class AgentAuthenticator(CertificateAuthority ca, IAgentStore agents, Revocations.RevocationRegistry revocations, TimeProvider time)
{
    /// <summary>How long after a renewal the previous agent SVID is still accepted.</summary>
    public static readonly TimeSpan RenewalGrace = TimeSpan.FromMinutes(5);

    public const string NotAttested = "agent is not attested (evicted?): attest again";
    public const string Banned = "agent is banned";
    public const string Revoked = "agent SVID is revoked: attest again";
    public const string NoCertificate = "a client certificate (the agent SVID) is required; attest first";
    public const string Superseded = "agent SVID has been superseded by a newer one: use the current SVID or attest again";

    /// <summary>
    /// Returns the caller's agent record, or throws saying why not: Unauthenticated when no certificate was presented
    /// (e.g. a connection opened before attestation: the agent should reconnect, not conclude it was evicted),
    /// PermissionDenied when the certificate is refused.
    /// </summary>
    public async Task<AttestedAgent> AuthenticateAsync(ServerCallContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.GetHttpContext();
        var certificate = http.Features.Get<ITlsConnectionFeature>()?.ClientCertificate
            ?? throw new RpcException(new Status(StatusCode.Unauthenticated, NoCertificate));
        var presented = http.Features.Get<NodeConnectionFeature>()?.PresentedIntermediates ?? [];
        return await AuthenticateAsync(certificate, presented, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Re-checks a certificate already authenticated once (long-lived streams after a ban or eviction).</summary>
    public async Task<AttestedAgent> AuthenticateAsync(X509Certificate2 certificate, IReadOnlyList<X509Certificate2> intermediates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(intermediates);
        // The agent's TLS client sends only its leaf; under an upstream authority the server adds its own chain.
        var verification = X509SvidVerifier.Verify([certificate, .. intermediates, .. ca.X509Intermediates], ca.Bundle, time);
        if (!verification.IsValid)
        {
            throw Denied($"agent SVID does not verify against this server's bundle: {verification.Message}");
        }

        var agent = await agents.GetAgentAsync(verification.Id, cancellationToken).ConfigureAwait(false) ?? throw Denied(NotAttested);
        if (agent.Banned)
        {
            throw Denied(Banned);
        }

        var serial = certificate.SerialNumber;
        if (revocations.Current.X509Serials.Contains(serial))
        {
            throw Denied(Revoked);
        }

        var current = string.Equals(serial, agent.SvidSerial, StringComparison.OrdinalIgnoreCase);
        var previous = agent.PreviousSvidSerial.Length > 0
            && string.Equals(serial, agent.PreviousSvidSerial, StringComparison.OrdinalIgnoreCase)
            && time.GetUtcNow() < agent.PreviousSvidGraceUntil;
        return current || previous ? agent : throw Denied(Superseded);
    }

    /// <summary>The client certificate of the call, or null.</summary>
    public static X509Certificate2? ClientCertificate(ServerCallContext context) =>
        context?.GetHttpContext().Features.Get<ITlsConnectionFeature>()?.ClientCertificate;

    private static RpcException Denied(string message) => new(new Status(StatusCode.PermissionDenied, message));
}
