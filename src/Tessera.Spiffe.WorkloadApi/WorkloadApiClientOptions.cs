namespace Tessera.Spiffe.WorkloadApi;

/// <summary>Settings of a <see cref="WorkloadApiClient"/>.</summary>
public sealed record WorkloadApiClientOptions
{
    /// <summary>
    /// Gets the Workload API address: <c>unix:///path</c>, <c>unix:/path</c> or an absolute path. When null, the
    /// address is read from <c>SPIFFE_ENDPOINT_SOCKET</c>. Default: null.
    /// </summary>
    public string? Address { get; init; }

    /// <summary>
    /// Gets how long a one-shot call (a fetch, a validation) may take, including the wait for the first message of
    /// a stream while the agent has not synced yet. Watches have no deadline. Default: 30 seconds.
    /// </summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
