namespace Tessera.Agent.Reporting;

/// <summary>Where the Workload API reports refusals; the agent forwards them to the server's audit log.</summary>
internal interface IWorkloadEventSink
{
    /// <summary>Queues <paramref name="workloadEvent"/>; never blocks and never throws.</summary>
    void Report(WorkloadEvent workloadEvent);
}
