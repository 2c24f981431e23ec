using Tessera.Spiffe.Bundles;

namespace Tessera.Agent.NodeAttestation;

/// <summary>What an attestation (or renewal) came to: a new agent SVID (and, after Attest, the server's bundle), or why not.</summary>
internal sealed record AttestationOutcome
{
    public AgentSvid? Svid { get; init; }

    public SpiffeBundle? Bundle { get; init; }

    /// <summary>Why it failed, fit for the operator; null on success.</summary>
    public string? Error { get; init; }

    /// <summary>True when the server refused (PermissionDenied/InvalidArgument): retrying with the same input will not help.</summary>
    public bool Refused { get; init; }

    public bool Succeeded => Svid is not null;

    public static AttestationOutcome Failure(string error, bool refused) => new() { Error = error, Refused = refused };
}
