using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Tessera.Agent.NodeAttestation;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.NodeClient;

/// <summary>
/// Verifies the server's TLS certificate as an X509-SVID: it must chain to the agent's trust bundle and carry
/// exactly <c>spiffe://&lt;trust domain&gt;/tessera/server</c>. Host names are not checked — the SPIFFE ID is the
/// server's identity, wherever it runs. The last refusal is kept so callers can say why a call failed
/// (the TLS stack reports only "authentication failed").
/// </summary>
internal sealed class ServerCertificateValidator(AgentIdentity identity, TrustDomain trustDomain, TimeProvider time)
{
    private string? _lastFailure;

    public SpiffeId ExpectedId { get; } = SpiffeId.FromSegments(trustDomain, "tessera", "server");

    /// <summary>Why the most recent server certificate was refused, or null if the most recent one was accepted.</summary>
    public string? LastFailure => Volatile.Read(ref _lastFailure);

    public bool Validate(X509Certificate? certificate, X509Chain? platformChain)
    {
        var failure = Check(certificate, platformChain);
        Volatile.Write(ref _lastFailure, failure);
        return failure is null;
    }

    private string? Check(X509Certificate? certificate, X509Chain? platformChain)
    {
        if (certificate is not X509Certificate2 leaf)
        {
            return "the server presented no certificate";
        }

        if (identity.Bundle is not { } bundle)
        {
            return "no trust bundle to verify the server with";
        }

        // The platform's chain carries the intermediates the server sent (in ExtraStore); the verifier builds the
        // path itself, anchored only in the bundle.
        var presented = new List<X509Certificate2> { leaf };
        if (platformChain is not null)
        {
            presented.AddRange(platformChain.ChainPolicy.ExtraStore.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)));
        }

        var result = X509SvidVerifier.Verify(presented, bundle, time);
        if (!result.IsValid)
        {
            return $"the server certificate does not verify against the trust bundle of {trustDomain}: {result.Message}";
        }

        return result.Id == ExpectedId ? null : $"the server certificate is for '{result.Id}', not '{ExpectedId}'";
    }

    /// <summary>For <see cref="SslClientAuthenticationOptions.RemoteCertificateValidationCallback"/>.</summary>
    public bool Callback(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) => Validate(certificate, chain);
}
