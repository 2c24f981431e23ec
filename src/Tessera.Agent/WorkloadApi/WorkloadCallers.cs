using Grpc.Core;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Reporting;
using Tessera.Agent.WorkloadAttestation;

namespace Tessera.Agent.WorkloadApi;

/// <summary>
/// Finds who is calling (the connection's <see cref="WorkloadPeer"/>, set by <see cref="WorkloadConnectionMiddleware"/>)
/// and attests it. A call without a peer, or a refused attestation, ends here with an error and an audit event.
/// </summary>
internal sealed partial class WorkloadCallers(IWorkloadAttestor attestor, IWorkloadEventSink events, TimeProvider time, ILogger<WorkloadCallers> logger)
{
    public async Task<WorkloadCaller> AttestAsync(ServerCallContext context, string action)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = context.GetHttpContext().Features.Get<WorkloadPeer>();
        if (peer is null)
        {
            Report("unknown", action, "denied", "kernel peer credentials unavailable");
            throw WorkloadApiErrors.NoPeer();
        }

        var result = await attestor.AttestAsync(peer, context.CancellationToken).ConfigureAwait(false);
        var description = PeerText.Sanitize(peer.Describe());
        if (result.Refusal is { } refusal)
        {
            Report(description, action, "denied", refusal);
            throw WorkloadApiErrors.AttestationRefused(refusal);
        }

        return new WorkloadCaller(description, result.Selectors);
    }

    /// <summary>Reports that <paramref name="caller"/> matched no entry, and logs it.</summary>
    public void ReportNoIdentity(WorkloadCaller caller, string action)
    {
        ArgumentNullException.ThrowIfNull(caller);
        LogNoIdentity(logger, caller.Description, caller.Selectors.Count, action);
        Report(caller.Description, action, "denied", $"no registration entry matches the caller's {caller.Selectors.Count} selectors");
    }

    /// <summary>
    /// Reports a JWT-SVID that ValidateJWTSVID refused (a forged, replayed or revoked token presented to a workload
    /// is security-relevant). The caller is described from its kernel credentials without attesting it: validation
    /// needs no identity of its own. The reason never holds token material (the validator strips it).
    /// </summary>
    public void ReportRejectedToken(ServerCallContext context, string action, string reason)
    {
        ArgumentNullException.ThrowIfNull(context);
        var peer = context.GetHttpContext().Features.Get<WorkloadPeer>();
        var description = peer is null ? "unknown" : PeerText.Sanitize(peer.Describe());
        LogRejectedToken(logger, description, action, reason);
        Report(description, action, "denied", reason);
    }

    private void Report(string caller, string action, string outcome, string reason) =>
        events.Report(new WorkloadEvent(time.GetUtcNow(), caller, action, "workload identity", outcome, reason));

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Workload API: no identity for {Caller} ({SelectorCount} selectors) on {Action}")]
    private static partial void LogNoIdentity(ILogger logger, string caller, int selectorCount, string action);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Workload API: {Caller} presented a JWT-SVID that was refused on {Action}: {Reason}")]
    private static partial void LogRejectedToken(ILogger logger, string caller, string action, string reason);
}
