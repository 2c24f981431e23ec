namespace Tessera.Agent.WorkloadApi;

/// <summary>An attested Workload API caller: how audit records name it, and its selectors.</summary>
internal sealed record WorkloadCaller(string Description, IReadOnlySet<string> Selectors);
