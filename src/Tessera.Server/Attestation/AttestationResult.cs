using Tessera.Spiffe.Ids;

namespace Tessera.Server.Attestation;

/// <summary>The outcome of a node attestation: the attested agent's ID, or why the evidence was refused.</summary>
internal sealed record AttestationResult
{
    private AttestationResult(SpiffeId agentId, string reason, bool malformed)
    {
        AgentId = agentId;
        Reason = reason;
        Malformed = malformed;
    }

    /// <summary>Gets whether the node was attested.</summary>
    public bool Succeeded => !AgentId.IsZero;

    /// <summary>Gets the agent's SPIFFE ID (zero on failure).</summary>
    public SpiffeId AgentId { get; }

    /// <summary>Gets why attestation failed ("" on success); safe to send to the agent.</summary>
    public string Reason { get; }

    /// <summary>Gets whether the evidence was malformed (InvalidArgument) rather than refused (PermissionDenied).</summary>
    public bool Malformed { get; }

    public static AttestationResult Success(SpiffeId agentId) => new(agentId, string.Empty, false);

    public static AttestationResult Refused(string reason) => new(default, reason, false);

    public static AttestationResult Invalid(string reason) => new(default, reason, true);
}
