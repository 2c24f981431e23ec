namespace Tessera.Cli.Drill.Rotation;

/// <summary>What one rotation drill measured.</summary>
internal sealed record RotationDrillResult
{
    public required int Workloads { get; init; }

    public required int Agents { get; init; }

    public required string Rotation { get; init; }

    public required long Requests { get; init; }

    public required long FailedRequests { get; init; }

    public required IReadOnlyDictionary<string, int> FailureReasons { get; init; }

    /// <summary>Per workload: from the rotate command to it holding an SVID from the new key (null: never, within the timeout).</summary>
    public required IReadOnlyList<TimeSpan?> Reissued { get; init; }

    /// <summary>From the rotate command until no agent's bundle holds the old key (null: still there at the end).</summary>
    public TimeSpan? OldKeyRemoved { get; init; }

    /// <summary>The bundles hold an upstream root, not the CA's own keys: the old intermediate never leaves them.</summary>
    public bool UnderUpstreamAuthority { get; init; }

    public required TimeSpan TrafficDuration { get; init; }

    public int NotReissued => Reissued.Count(r => r is null);

    public bool Passed => FailedRequests == 0 && NotReissued == 0;
}
