namespace Tessera.Cli.Drill;

/// <summary>
/// A place that should refuse a revoked canary credential. The drill first proves it accepts the credential
/// (<see cref="ArmAsync"/> then <see cref="ProbeAsync"/>), revokes, then probes it until it refuses.
/// </summary>
internal interface IEnforcementPoint : IAsyncDisposable
{
    /// <summary>Gets the point's name in the table, e.g. <c>proxy (new connection)</c>.</summary>
    string Name { get; }

    /// <summary>Returns whether revocations of <paramref name="kind"/> are enforced here (and so measured).</summary>
    bool Covers(IDrillRevocation kind);

    /// <summary>Gets ready to probe <paramref name="credentials"/> (e.g. opens the connection that must later be aborted).</summary>
    Task ArmAsync(CanaryCredentials credentials, CancellationToken cancellationToken);

    /// <summary>Presents the armed credential once; a refusal is a result, not an exception.</summary>
    Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken);
}
