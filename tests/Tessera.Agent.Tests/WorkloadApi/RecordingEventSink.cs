using System.Collections.Concurrent;
using Tessera.Agent.Reporting;

namespace Tessera.Agent.Tests.WorkloadApi;

/// <summary>Keeps every reported workload event for assertions.</summary>
internal sealed class RecordingEventSink : IWorkloadEventSink
{
    public ConcurrentQueue<WorkloadEvent> Events { get; } = new();

    public void Report(WorkloadEvent workloadEvent) => Events.Enqueue(workloadEvent);
}
