using Tessera.Spiffe.Ids;

namespace Tessera.Cli.Drill;

/// <summary>The resolved, validated flags of one <c>tessera drill revocation</c> run.</summary>
internal sealed record DrillSettings
{
    public required string AdminSocket { get; init; }

    public required string WorkloadSocket { get; init; }

    /// <summary>Gets the limit on each Workload API call.</summary>
    public required TimeSpan WorkloadTimeout { get; init; }

    /// <summary>Gets the agent the canary entries are parented to; null = the only attested agent.</summary>
    public SpiffeId? ParentId { get; init; }

    /// <summary>Gets how soon after the revocation is sent every enforcement point must refuse.</summary>
    public required TimeSpan Bound { get; init; }

    public required int Rounds { get; init; }

    public required IReadOnlyList<IDrillRevocation> Kinds { get; init; }

    /// <summary>Gets the CRL to check (an http(s) URL or a file); null = <c>crl.pem</c> beside the admin socket when present.</summary>
    public string? CrlSource { get; init; }

    public bool NoCrl { get; init; }

    public bool Json { get; init; }

    /// <summary>Gets the limit on set-up steps: canary SVIDs arriving, the proxy listening, each point first accepting.</summary>
    public TimeSpan SetupTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets how long the drill keeps watching a point that has not refused yet: past the bound, so a slow point is still timed.</summary>
    public TimeSpan Watch => Bound + TimeSpan.FromSeconds(5);

    /// <summary>Gets how often each point is probed while the drill waits for its refusal.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(25);
}
