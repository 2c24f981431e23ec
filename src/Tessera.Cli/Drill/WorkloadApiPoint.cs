namespace Tessera.Cli.Drill;

/// <summary>
/// The Workload API stream itself: after a revocation the agent stops serving the revoked X509-SVID (it re-issues a
/// new one for a still-valid entry); after an entry deletion it stops serving the identity.
/// </summary>
internal sealed class WorkloadApiPoint(CanaryWatch watch) : IEnforcementPoint
{
    private CanaryCredentials? _armed;

    public string Name => "Workload API stream";

    public bool Covers(IDrillRevocation kind) => kind.Credential is CredentialKind.X509 or CredentialKind.Entry;

    public Task ArmAsync(CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        _armed = credentials;
        return Task.CompletedTask;
    }

    public Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var armed = _armed ?? throw new InvalidOperationException("not armed");
        var served = watch.ServedSerial(armed.ClientId);
        return Task.FromResult(served == armed.Serial
            ? ProbeResult.Accept($"serves serial {armed.Serial}")
            : ProbeResult.Refuse(served is null ? $"no longer serves {armed.ClientId}" : $"serves a new serial {served} instead"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
