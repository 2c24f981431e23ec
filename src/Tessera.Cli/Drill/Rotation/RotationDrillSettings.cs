namespace Tessera.Cli.Drill.Rotation;

/// <summary>What <c>tessera drill rotation</c> was asked to do, validated.</summary>
/// <param name="AdminSocket">The server's admin socket.</param>
/// <param name="Sockets">One Workload API socket per agent taking part.</param>
/// <param name="ParentIds">The agent behind each socket (same order), or empty to use the only attested agent.</param>
/// <param name="Workloads">How many canary workload identities to create, spread over the agents.</param>
/// <param name="Concurrency">How many requests are in flight at once.</param>
/// <param name="Timeout">How long every workload may take to hold an SVID from the new key.</param>
/// <param name="Reason">Recorded with the rotation in the audit log.</param>
/// <param name="Json">Print the result as JSON.</param>
internal sealed record RotationDrillSettings(
    string AdminSocket,
    IReadOnlyList<string> Sockets,
    IReadOnlyList<string> ParentIds,
    int Workloads,
    int Concurrency,
    TimeSpan Timeout,
    string Reason,
    bool Json);
