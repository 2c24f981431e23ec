using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Attestation;

/// <summary>The outcome of a node attestation: the attested agent's ID, or why the evidence was refused.</summary>
internal sealed record AttestationResult
{
    private AttestationResult(SpiffeId agentId, string reason, bool malformed, Func<IDataStoreWriter, CancellationToken, Task<AttestationResult>>? claim = null)
    {
        AgentId = agentId;
        Reason = reason;
        Malformed = malformed;
        Claim = claim;
    }

    /// <summary>
    /// Gets the step that spends single-use evidence (consumes a join token) and returns the final result, or null
    /// when the result is final. The caller runs it in the transaction that records the agent and audits the
    /// attestation, so the evidence is spent exactly when the agent is recorded: never spent without a record.
    /// </summary>
    public Func<IDataStoreWriter, CancellationToken, Task<AttestationResult>>? Claim { get; }

    /// <summary>Gets whether the node was attested (false while a <see cref="Claim"/> is pending).</summary>
    public bool Succeeded => !AgentId.IsZero;

    /// <summary>Gets the agent's SPIFFE ID (zero on failure).</summary>
    public SpiffeId AgentId { get; }

    /// <summary>Gets why attestation failed ("" on success); safe to send to the agent.</summary>
    public string Reason { get; }

    /// <summary>Gets whether the evidence was malformed (InvalidArgument) rather than refused (PermissionDenied).</summary>
    public bool Malformed { get; }

    public static AttestationResult Success(SpiffeId agentId) => new(agentId, string.Empty, false);

    /// <summary>The evidence is well-formed; <paramref name="claim"/> spends it inside the caller's transaction and decides.</summary>
    public static AttestationResult Claimable(Func<IDataStoreWriter, CancellationToken, Task<AttestationResult>> claim) => new(default, string.Empty, false, claim);

    public static AttestationResult Refused(string reason) => new(default, reason, false);

    public static AttestationResult Invalid(string reason) => new(default, reason, true);
}
