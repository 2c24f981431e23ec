namespace Tessera.Spiffe.WorkloadApi.Internal;

/// <summary>
/// Exponential backoff with jitter: each delay doubles up to a cap and is drawn from its upper half, so that many
/// workloads of one node, cut off together by an agent restart, do not reconnect in lockstep.
/// </summary>
internal sealed class Backoff
{
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private TimeSpan _next;

    public Backoff(TimeSpan min, TimeSpan max)
    {
        _min = min;
        _max = max;
        _next = min;
    }

    /// <summary>Returns the delay before the next attempt and doubles the one after it.</summary>
    public TimeSpan Next()
    {
        var current = _next;
        _next = TimeSpan.FromTicks(Math.Min(_max.Ticks, current.Ticks * 2));

        // Not a security decision: jitter only spreads reconnections out.
#pragma warning disable CA5394 // Random is insecure
        var factor = 0.5 + (Random.Shared.NextDouble() * 0.5);
#pragma warning restore CA5394
        return TimeSpan.FromTicks((long)(current.Ticks * factor));
    }

    /// <summary>Starts over from the shortest delay (after a stream delivered an update).</summary>
    public void Reset() => _next = _min;
}
