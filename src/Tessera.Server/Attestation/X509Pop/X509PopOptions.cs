using System.Security.Cryptography.X509Certificates;

namespace Tessera.Server.Attestation.X509Pop;

/// <summary>x509pop settings: the trusted node CAs and how long an agent has to answer the challenge.</summary>
internal sealed record X509PopOptions
{
    /// <summary>The spec'd answer window (node.proto): a proof older than this is stale.</summary>
    public static readonly TimeSpan DefaultChallengeTimeout = TimeSpan.FromSeconds(30);

    public required IReadOnlyList<X509Certificate2> TrustedRoots { get; init; }

    public TimeSpan ChallengeTimeout { get; init; } = DefaultChallengeTimeout;
}
