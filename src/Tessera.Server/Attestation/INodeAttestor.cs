namespace Tessera.Server.Attestation;

/// <summary>
/// A node attestation method (the plugin seam): checks the evidence an agent presents and, if it holds,
/// names the agent's SPIFFE ID. Refusals are results, never exceptions; each one carries a reason that is
/// safe to return to the agent and to write to the audit log.
/// </summary>
internal interface INodeAttestor
{
    /// <summary>Gets the attestation type agents name in <c>AttestParams.type</c> (e.g. <c>join_token</c>).</summary>
    string Type { get; }

    /// <summary>Attests the node from <paramref name="request"/>; may challenge the agent through it.</summary>
    Task<AttestationResult> AttestAsync(AttestationRequest request, CancellationToken cancellationToken);
}
