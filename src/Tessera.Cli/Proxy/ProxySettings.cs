using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;

namespace Tessera.Cli.Proxy;

/// <summary>What one <c>tessera proxy inbound|outbound</c> was asked to do, validated.</summary>
internal sealed record ProxySettings
{
    /// <summary>Gets "inbound" or "outbound", the prefix of every log line.</summary>
    public required string Direction { get; init; }

    public required ProxyEndpoint Listen { get; init; }

    /// <summary>Gets where connections go: the local plain port (inbound) or the mTLS upstream (outbound).</summary>
    public required ProxyEndpoint Target { get; init; }

    /// <summary>Gets who may be on the other end of the TLS side: allowed clients (inbound) or the expected upstream (outbound).</summary>
    public required PeerAuthorizer Authorizer { get; init; }

    /// <summary>Gets the identity to present among those the Workload API returns; null for the default (first) one.</summary>
    public SpiffeId? SpiffeId { get; init; }

    public required string SocketPath { get; init; }

    /// <summary>Gets how long to wait for the first answer of the Workload API.</summary>
    public required TimeSpan WorkloadApiTimeout { get; init; }

    /// <summary>Gets the limit on a TCP connect to the target. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the limit on a TLS handshake. Default 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets how long open connections may go on after SIGTERM before they are closed. Default 1 s.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(1);
}
