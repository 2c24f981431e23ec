using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Cache;

/// <summary>
/// The agent's single source of truth for what workloads are served. The sync and rotation side publishes
/// changes with <see cref="Update"/>; the Workload API side reads <see cref="Current"/> and waits for the
/// next version with <see cref="WaitForChangeAsync"/>. Thread-safe; readers never block writers.
/// </summary>
internal sealed class IdentityCache
{
    private readonly Lock _gate = new();
    private CacheSnapshot _current;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IdentityCache(TrustDomain trustDomain)
    {
        _current = new CacheSnapshot { TrustDomain = trustDomain };
    }

    /// <summary>The latest snapshot.</summary>
    public CacheSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Applies <paramref name="change"/> to the current snapshot, bumps the version and wakes every waiter.</summary>
    public CacheSnapshot Update(Func<CacheSnapshot, CacheSnapshot> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        TaskCompletionSource wake;
        CacheSnapshot next;
        lock (_gate)
        {
            next = change(_current) with { Version = _current.Version + 1, TrustDomain = _current.TrustDomain };
            Volatile.Write(ref _current, next);
            wake = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        wake.TrySetResult();
        return next;
    }

    /// <summary>Completes when the cache's version differs from <paramref name="seenVersion"/> (at once if it already does).</summary>
    public Task WaitForChangeAsync(long seenVersion, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            if (_current.Version != seenVersion)
            {
                return Task.CompletedTask;
            }

            changed = _changed.Task;
        }

        return changed.WaitAsync(cancellationToken);
    }
}
