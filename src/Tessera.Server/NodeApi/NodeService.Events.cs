using System.Globalization;
using Grpc.Core;
using Tessera.Contracts.Node.V1;
using Tessera.Server.Audit;

namespace Tessera.Server.NodeApi;

/// <summary>ReportEvents: what an agent saw (e.g. refused workloads) goes into the server's audit log, attributed to the agent.</summary>
internal sealed partial class NodeService
{
    /// <summary>The most events one report may carry.</summary>
    public const int MaxReportedEvents = 1000;

    public override async Task<ReportEventsResponse> ReportEvents(ReportEventsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        var agent = await AuthenticateAsync("agent.report", context).ConfigureAwait(false);
        var caller = AgentCaller(agent);
        if (request.Events.Count > MaxReportedEvents)
        {
            await RefuseAsync(caller, "agent.report", "events", StatusCode.InvalidArgument,
                $"a ReportEvents call holds at most {MaxReportedEvents} events; got {request.Events.Count.ToString(CultureInfo.InvariantCulture)}", ct).ConfigureAwait(false);
        }

        // The record's time is the server's (the chain orders by it); everything else is the agent's, cleaned.
        var now = time.GetUtcNow();
        var events = request.Events.Select(e => new AuditEvent(
            now,
            $"{caller}: {NodeMapping.Clean(e.Caller)}",
            e.Action.Length == 0 ? "agent.event" : NodeMapping.Clean(e.Action),
            NodeMapping.Clean(e.Target),
            e.Outcome.Length == 0 ? "denied" : NodeMapping.Clean(e.Outcome),
            NodeMapping.Clean(e.Reason))).ToArray();
        await audit.AppendManyAsync(events, ct).ConfigureAwait(false);
        return new ReportEventsResponse();
    }
}
