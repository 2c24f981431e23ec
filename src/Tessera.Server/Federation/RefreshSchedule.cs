namespace Tessera.Server.Federation;

/// <summary>When to fetch a federated bundle next: on its refresh hint (bounded), or after a failure with exponential backoff.</summary>
internal static class RefreshSchedule
{
    /// <summary>Refresh interval when the bundle carries no <c>spiffe_refresh_hint</c> (SPIRE's default too).</summary>
    public static readonly TimeSpan DefaultRefresh = TimeSpan.FromMinutes(5);

    /// <summary>No endpoint can make us poll more often than this, whatever hint it publishes.</summary>
    public static readonly TimeSpan MinRefresh = TimeSpan.FromSeconds(5);

    /// <summary>Even a bundle that asks for a day is re-fetched at least this often, so a rotation is never missed for long.</summary>
    public static readonly TimeSpan MaxRefresh = TimeSpan.FromHours(1);

    public static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(1);

    /// <summary>The wait after a successful fetch of a bundle with <paramref name="refreshHint"/>.</summary>
    public static TimeSpan AfterSuccess(TimeSpan? refreshHint) => Clamp(refreshHint ?? DefaultRefresh, MinRefresh, MaxRefresh);

    /// <summary>The wait after the <paramref name="consecutiveFailures"/>-th failure in a row (1, 2, 4 … seconds, at most <see cref="MaxRetry"/>), never later than a success would have waited.</summary>
    public static TimeSpan AfterFailure(int consecutiveFailures, TimeSpan? lastRefreshHint)
    {
        var exponent = Math.Clamp(consecutiveFailures - 1, 0, 20);
        var backoff = TimeSpan.FromTicks(Math.Min(FirstRetry.Ticks << exponent, MaxRetry.Ticks));
        return backoff < AfterSuccess(lastRefreshHint) ? backoff : AfterSuccess(lastRefreshHint);
    }

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min, TimeSpan max) => value < min ? min : value > max ? max : value;
}
