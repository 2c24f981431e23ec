namespace Tessera.Agent.NodeClient;

/// <summary>Timeouts and connection lifetimes of the node API client. The defaults suit production; tests shorten them.</summary>
internal sealed record NodeClientSettings
{
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Deadline of a unary call (renewal, JWT, events).</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Deadline of the whole attestation exchange (the server's nonce is valid for 30 s).</summary>
    public TimeSpan AttestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Deadline of one SignX509Svids batch (up to 500 signatures).</summary>
    public TimeSpan SignTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a pooled connection takes new calls. The client certificate is chosen per connection, so this
    /// bounds how long calls keep presenting an agent SVID after it was renewed.
    /// </summary>
    public TimeSpan PooledConnectionLifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>HTTP/2 pings on idle connections, so a Sync stream to a vanished server fails instead of hanging.</summary>
    public TimeSpan KeepAlivePingDelay { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan KeepAlivePingTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
