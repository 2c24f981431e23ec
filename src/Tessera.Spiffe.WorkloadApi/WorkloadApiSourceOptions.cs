namespace Tessera.Spiffe.WorkloadApi;

/// <summary>Settings of the auto-updating sources (<see cref="X509Source"/>, <see cref="JwtSource"/>, <see cref="BundleSource"/>).</summary>
public sealed record WorkloadApiSourceOptions
{
    /// <summary>
    /// Gets the Workload API address: <c>unix:///path</c>, <c>unix:/path</c> or an absolute path; null reads
    /// <c>SPIFFE_ENDPOINT_SOCKET</c>. Default: null.
    /// </summary>
    public string? Address { get; init; }

    /// <summary>Gets how long <c>CreateAsync</c> waits for the first update before it gives up. Default: 30 seconds.</summary>
    public TimeSpan InitialTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the first delay before reconnecting a failed stream; each further failure doubles it. Default: 200 ms.</summary>
    public TimeSpan MinRetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets the longest delay between two reconnection attempts. Default: 30 seconds.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the deadline of one-shot calls the source makes (JWT-SVID fetches). Default: 30 seconds.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets the clock used for retry delays and JWT-SVID validation. Default: <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>
    /// Gets whether the JWT-SVIDs a <see cref="JwtSource"/> fetches are bound to the caller's X509-SVID
    /// (<see cref="JwtSvidBinding.X509Svid"/>); a bound token must be fetched again after the X509-SVID rotates.
    /// Default: <see cref="JwtSvidBinding.None"/>.
    /// </summary>
    public JwtSvidBinding JwtBinding { get; init; }

    /// <summary>Throws when a setting is out of range, naming every bad one.</summary>
    internal void Validate()
    {
        var problems = new List<string>();
        if (InitialTimeout <= TimeSpan.Zero)
        {
            problems.Add($"InitialTimeout must be positive, not {InitialTimeout}");
        }

        if (MinRetryDelay <= TimeSpan.Zero)
        {
            problems.Add($"MinRetryDelay must be positive, not {MinRetryDelay}");
        }

        if (MaxRetryDelay < MinRetryDelay)
        {
            problems.Add($"MaxRetryDelay ({MaxRetryDelay}) must not be shorter than MinRetryDelay ({MinRetryDelay})");
        }

        if (CallTimeout <= TimeSpan.Zero)
        {
            problems.Add($"CallTimeout must be positive, not {CallTimeout}");
        }

        if (!Enum.IsDefined(JwtBinding))
        {
            problems.Add($"JwtBinding must be None or X509Svid, not {JwtBinding}");
        }

        if (TimeProvider is null)
        {
            problems.Add("TimeProvider must not be null");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid Workload API source options: " + string.Join("; ", problems), "options");
        }
    }
}
