namespace Tessera.Agent.Reporting;

/// <summary>A security-relevant event the agent observed, bound for the server's audit log.</summary>
/// <param name="Time">When the agent saw it.</param>
/// <param name="Caller">The caller as the kernel reported it, e.g. <c>uid:1001 pid:4242 exe:/usr/bin/curl</c>.</param>
/// <param name="Action">e.g. <c>workload.fetch_x509_svid</c>.</param>
/// <param name="Target">What was asked for.</param>
/// <param name="Outcome">e.g. <c>denied</c>.</param>
/// <param name="Reason">Why, in words an operator can act on.</param>
internal sealed record WorkloadEvent(DateTimeOffset Time, string Caller, string Action, string Target, string Outcome, string Reason);
