using Tessera.Spiffe.Ids;

namespace Tessera.Cli.Helper;

/// <summary>What <c>tessera helper run</c> was asked to do, validated.</summary>
internal sealed record HelperSettings
{
    /// <summary>Gets the directory svid.pem, svid.key and bundle.pem go to; null in JWT-only mode.</summary>
    public string? WriteDirectory { get; init; }

    /// <summary>Gets the reload command run with <c>/bin/sh -c</c> after each write.</summary>
    public string? Command { get; init; }

    /// <summary>Gets the signal sent to the pid in <see cref="PidFile"/> after each write (name, number).</summary>
    public (string Name, int Number)? Signal { get; init; }

    public string? PidFile { get; init; }

    public string? JwtAudience { get; init; }

    public string? JwtFile { get; init; }

    /// <summary>Gets the SVID to use among those the Workload API returns; null for the default (first) one.</summary>
    public SpiffeId? SpiffeId { get; init; }

    public required string SocketPath { get; init; }

    /// <summary>Gets how long to wait for the first answer of the Workload API.</summary>
    public required TimeSpan Timeout { get; init; }
}
