namespace Tessera.Agent.Internal;

/// <summary>
/// Exponential backoff with full jitter (a random delay between half and all of the current step), so a fleet of
/// agents that lost the server at the same moment does not come back in lock-step.
/// </summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan cap)
{
    private TimeSpan _step = initial;

    public TimeSpan Initial { get; } = initial;

    public TimeSpan Cap { get; } = cap;

    /// <summary>The next delay; each call doubles the step up to <see cref="Cap"/>.</summary>
    public TimeSpan Next()
    {
        var step = _step;
        _step = TimeSpan.FromTicks(Math.Min(Cap.Ticks, _step.Ticks * 2));
        return TimeSpan.FromTicks((long)(step.Ticks * (0.5 + (Random.Shared.NextDouble() / 2))));
    }

    /// <summary>Back to <see cref="Initial"/> after a success.</summary>
    public void Reset() => _step = Initial;
}
