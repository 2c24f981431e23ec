namespace Tessera.Agent.Internal;

/// <summary>Waits on a clock deadline and a wake-up signal at once, with the clock coming from a <see cref="TimeProvider"/>.</summary>
internal static class Wait
{
    /// <summary>
    /// Completes at <paramref name="until"/> (by <paramref name="time"/>), when the task <paramref name="wake"/> starts
    /// completes, or throws on cancellation. <paramref name="wake"/> gets a token cancelled on return, so waits that
    /// lose the race do not pile up on the signal between two changes.
    /// </summary>
    public static async Task UntilAsync(TimeProvider time, DateTimeOffset? until, Func<CancellationToken, Task> wake, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new List<Task> { wake(stop.Token) };
        if (until is { } at)
        {
            var delay = at - time.GetUtcNow();
            if (delay <= TimeSpan.Zero)
            {
                return;
            }

            tasks.Add(Task.Delay(delay, time, stop.Token));
        }

        tasks.Add(Task.Delay(Timeout.InfiniteTimeSpan, stop.Token));
        await Task.WhenAny(tasks).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
