using Tessera.Spiffe.Bundles;

namespace Tessera.Agent.NodeAttestation;

/// <summary>
/// The agent's current SVID and the bundle it verifies the server with, shared by the TLS client (which picks
/// the current SVID per connection) and every service that talks to the server. Services that learn the server
/// no longer accepts this agent (PermissionDenied) call <see cref="ReportRefused"/>; the attestation service
/// re-attests.
/// </summary>
internal sealed class AgentIdentity
{
    private readonly Lock _gate = new();
    private AgentSvid? _svid;
    private SpiffeBundle? _bundle;
    private long _version;
    private long _refusedVersion = -1;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AgentSvid? Svid => Volatile.Read(ref _svid);

    /// <summary>The own trust domain's bundle: the anchors the server's certificate must chain to; null before bootstrap.</summary>
    public SpiffeBundle? Bundle => Volatile.Read(ref _bundle);

    /// <summary>Grows on every change of SVID, bundle or refusal.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>True when the server refused the current SVID and it has not been replaced yet.</summary>
    public bool Refused
    {
        get
        {
            lock (_gate)
            {
                return _refusedVersion >= 0;
            }
        }
    }

    public void SetSvid(AgentSvid? svid) => Change(() =>
    {
        Volatile.Write(ref _svid, svid);
        _refusedVersion = -1;
    });

    public void SetBundle(SpiffeBundle bundle) => Change(() => Volatile.Write(ref _bundle, bundle));

    /// <summary>
    /// The server answered PermissionDenied to a call made with <paramref name="refused"/> (evicted, banned,
    /// unknown). Ignored when that SVID was already replaced: a late answer to an old call must not trigger a
    /// second re-attestation.
    /// </summary>
    public void ReportRefused(AgentSvid? refused)
    {
        lock (_gate)
        {
            if (refused is not null && !ReferenceEquals(refused, _svid))
            {
                return;
            }
        }

        Change(() => _refusedVersion = _version);
    }

    /// <summary>Completes when <see cref="Version"/> differs from <paramref name="seenVersion"/>.</summary>
    public Task WaitForChangeAsync(long seenVersion, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _version != seenVersion ? Task.CompletedTask : _changed.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Waits until an SVID is present (the agent is attested) and returns it.</summary>
    public async Task<AgentSvid> WaitForSvidAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var seen = Version;
            if (Svid is { } svid && !Refused)
            {
                return svid;
            }

            await WaitForChangeAsync(seen, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Change(Action apply)
    {
        TaskCompletionSource wake;
        lock (_gate)
        {
            apply();
            Interlocked.Increment(ref _version);
            wake = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.TrySetResult();
    }
}
