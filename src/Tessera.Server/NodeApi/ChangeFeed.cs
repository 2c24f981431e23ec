namespace Tessera.Server.NodeApi;

/// <summary>
/// In-process broadcast of "something an agent may care about changed" (entries, bundles, agents). Writers call
/// <see cref="Signal"/>; readers remember <see cref="Version"/>, await <see cref="WaitAsync"/> and recompute.
/// It carries no payload on purpose: readers recompute from the datastore, so a missed or merged signal can
/// never leave an agent with a wrong view, only with one computed a little later.
/// </summary>
internal sealed class ChangeFeed
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _version;

    /// <summary>Gets the number of changes signalled so far.</summary>
    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    /// <summary>Records a change and wakes every waiter.</summary>
    public void Signal()
    {
        TaskCompletionSource woken;
        lock (_lock)
        {
            _version++;
            woken = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        woken.SetResult();
    }

    /// <summary>Completes as soon as <see cref="Version"/> differs from <paramref name="seenVersion"/>.</summary>
    public Task WaitAsync(long seenVersion, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _version != seenVersion ? Task.CompletedTask : _next.Task.WaitAsync(cancellationToken);
        }
    }
}
