using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Attestation.X509Pop;

/// <summary>
/// x509pop attestation: the node presents a certificate chain that must chain to <c>x509pop_ca_bundle</c>
/// (RFC 5280 path validation anchored in that bundle only: no OS store, no network), then proves it holds the
/// leaf's key by signing a fresh 32-byte nonce within <see cref="X509PopOptions.ChallengeTimeout"/>. The nonce
/// lives in this attempt alone, so a signature captured from another attempt is worthless. The agent ID is
/// <c>spiffe://&lt;td&gt;/tessera/agent/x509pop/&lt;hex SHA-256 of the leaf DER&gt;</c>.
/// </summary>
internal sealed class X509PopAttestor(X509PopOptions options, TrustDomain trustDomain, TimeProvider time) : INodeAttestor
{
    public const string TypeName = "x509pop";
    private const int MaxChainBytes = 64 * 1024;

    public string Type => TypeName;

    /// <summary>The agent ID of the node whose certificate is <paramref name="leaf"/>.</summary>
    public static SpiffeId AgentId(TrustDomain trustDomain, X509Certificate2 leaf)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        return SpiffeId.FromSegments(trustDomain, "tessera", "agent", TypeName, Convert.ToHexStringLower(SHA256.HashData(leaf.RawData)));
    }

    public async Task<AttestationResult> AttestAsync(AttestationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Payload.Length is 0 or > MaxChainBytes)
        {
            return AttestationResult.Invalid($"x509pop: the payload must be the node's DER certificate chain (1 to {MaxChainBytes} bytes)");
        }

        IReadOnlyList<X509Certificate2> chain;
        try
        {
            chain = CertificateChain.Parse(request.Payload.Span);
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            return AttestationResult.Invalid($"x509pop: the payload is not a DER certificate chain: {ex.Message}");
        }

        try
        {
            if (CheckChain(chain) is { } refusal)
            {
                return AttestationResult.Refused(refusal);
            }

            var nonce = RandomNumberGenerator.GetBytes(X509PopProof.NonceLength);
            byte[]? signature;
            using (var timeout = new CancellationTokenSource(options.ChallengeTimeout, time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                try
                {
                    signature = await request.ChallengeAsync(nonce, linked.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return AttestationResult.Refused($"x509pop: the challenge was not answered within {options.ChallengeTimeout.TotalSeconds:0}s");
                }
            }

            if (signature is null)
            {
                return AttestationResult.Invalid("x509pop: expected challenge_response after the challenge");
            }

            return X509PopProof.Verify(chain[0], nonce, signature)
                ? AttestationResult.Success(AgentId(trustDomain, chain[0]))
                : AttestationResult.Refused("x509pop: the signature does not verify over this attempt's challenge with the node certificate's key");
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    private string? CheckChain(IReadOnlyList<X509Certificate2> chain)
    {
        var leaf = chain[0];
        using var x509Chain = new X509Chain();
        var policy = x509Chain.ChainPolicy;
        policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        policy.CustomTrustStore.AddRange(options.TrustedRoots.ToArray());
        for (var i = 1; i < chain.Count; i++)
        {
            policy.ExtraStore.Add(chain[i]);
        }

        // No revocation fetches and no AIA downloads: a node must not be able to make the server reach an
        // address of its choosing, and attestation must not depend on the network.
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = time.GetUtcNow().UtcDateTime;
        policy.VerificationTimeIgnored = false;
        if (!x509Chain.Build(leaf))
        {
            var status = x509Chain.ChainStatus.Select(s => s.Status).Aggregate(X509ChainStatusFlags.NoError, (a, b) => a | b);
            if (status.HasFlag(X509ChainStatusFlags.NotTimeValid))
            {
                return "x509pop: the node certificate chain is expired or not yet valid";
            }

            // No path to a bundle CA shows as PartialChain (an unknown issuer) or UntrustedRoot (a foreign root sent along).
            return (status & ~(X509ChainStatusFlags.PartialChain | X509ChainStatusFlags.UntrustedRoot)) == X509ChainStatusFlags.NoError
                ? "x509pop: the node certificate does not chain to a CA in x509pop_ca_bundle"
                : $"x509pop: the node certificate chain is invalid ({status})";
        }

        foreach (var element in x509Chain.ChainElements)
        {
            if (!ReferenceEquals(element.Certificate, leaf) && !chain.Contains(element.Certificate))
            {
                element.Certificate.Dispose();
            }
        }

        if (leaf.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true })
        {
            return "x509pop: the node certificate is a CA certificate; present a leaf";
        }

        if (leaf.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault() is { } usage && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature))
        {
            return "x509pop: the node certificate's key usage does not allow digitalSignature";
        }

        return null;
    }
}
