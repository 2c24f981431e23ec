using Microsoft.Extensions.Logging;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.AspNetCore.Internal;

/// <summary>The SDK's log lines, with stable event ids (6100–6199).</summary>
internal static partial class SpiffeLog
{
    /// <summary>The category every SDK log line is written under.</summary>
    public const string Category = "Tessera.Spiffe.AspNetCore";

    /// <summary>Writes the one line a refused TLS peer gets.</summary>
    public static void PeerRejected(ILogger logger, PeerRejection rejection) =>
        PeerRefused(
            logger,
            rejection.PeerRole,
            rejection.PeerId?.ToString() ?? "(no SPIFFE ID)",
            rejection.Error == X509SvidError.None ? "NotAuthorized" : rejection.Error.ToString(),
            rejection.Reason);

    // The peer ID is a parsed SpiffeId (only URI-safe characters) and the reason is built by the verifier, not copied
    // from the peer, so neither can inject line breaks into the log.
    [LoggerMessage(EventId = 6101, Level = LogLevel.Warning, Message = "Refused TLS {PeerRole} {PeerId} ({Error}): {Reason}")]
    private static partial void PeerRefused(ILogger logger, string peerRole, string peerId, string error, string reason);

    [LoggerMessage(EventId = 6102, Level = LogLevel.Warning, Message = "Refused caller {PeerId} by endpoint policy: {Reason}")]
    public static partial void PolicyRefused(ILogger logger, string peerId, string reason);

    [LoggerMessage(EventId = 6103, Level = LogLevel.Debug, Message = "No SPIFFE peer on this connection: it was not accepted by a UseSpiffeMtls listener")]
    public static partial void NoVerifiedPeer(ILogger logger);

    // The detail is the validator's message (token values shortened and stripped of control characters) or a binding
    // reason built here; never the token.
    [LoggerMessage(EventId = 6105, Level = LogLevel.Warning, Message = "Refused JWT-SVID bearer token ({Error}): {Detail}")]
    public static partial void JwtRefused(ILogger logger, string error, string detail);

    // Security-relevant: a peer that was let in is thrown out because its certificate was revoked since.
    [LoggerMessage(EventId = 6106, Level = LogLevel.Warning, Message = "Closed TLS connection of {PeerRole} {PeerId}: {Reason}")]
    public static partial void RevokedConnectionClosed(ILogger logger, string peerRole, string peerId, string reason);

    [LoggerMessage(EventId = 6104, Level = LogLevel.Debug, Message = "TLS connection to {Host}:{Port} failed")]
    public static partial void ConnectFailed(ILogger logger, string host, int port, Exception exception);
}
