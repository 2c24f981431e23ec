using Microsoft.Extensions.Logging;
using Tessera.Spiffe.Tls;

namespace Tessera.Spiffe.AspNetCore.Http;

/// <summary>Settings of the handlers <see cref="SpiffeHttpHandler"/> creates.</summary>
public sealed record SpiffeHttpHandlerOptions
{
    /// <summary>Gets the clock, deny list, extra server check and rejection callback of the TLS configuration (default: the system clock, no deny list, no extra check).</summary>
    public SpiffeTlsOptions Tls { get; init; } = new();

    /// <summary>Gets where a refused server is logged (event 6101); none when null.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>Gets how long a new connection may take, TCP connect and TLS handshake together (default: 10 seconds).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets how long a pooled connection is used for new requests before it is replaced (default: 5 minutes).
    /// Connections keep the SVID they were opened with, so this bounds how long an old SVID stays in use after a
    /// rotation; requests in flight are never cut.
    /// </summary>
    public TimeSpan PooledConnectionLifetime { get; init; } = TimeSpan.FromMinutes(5);
}
