namespace Tessera.Agent.WorkloadAttestation;

/// <summary>
/// Derives a Workload API caller's selectors from what the kernel says about it. Implementations never throw
/// for an unreadable or vanished process: they return what they could read, or a refusal (fail closed).
/// </summary>
internal interface IWorkloadAttestor
{
    /// <summary>Attests <paramref name="peer"/>: its selectors, or a refusal when its identity cannot be trusted.</summary>
    Task<AttestationResult> AttestAsync(WorkloadPeer peer, CancellationToken cancellationToken);
}
