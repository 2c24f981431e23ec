using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.Transport;
using Tessera.Server.Audit;

namespace Tessera.Server.AdminApi;

/// <summary>
/// Kestrel connection middleware on the admin socket: reads the caller's kernel credentials (SO_PEERCRED)
/// and lets the connection through only if its uid is on the allow-list. A refusal is logged and audited,
/// and the connection is closed before a single byte of HTTP/2 is read.
/// </summary>
internal sealed partial class AdminConnectionGate(IReadOnlyList<int> allowedUids, IAuditLog audit, TimeProvider time, ILogger<AdminConnectionGate> logger)
{
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is null || !PeerCredentialReader.TryRead(socket, out var credentials))
        {
            LogNoCredentials(logger);
            await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), "unknown", "admin.connect", "admin socket", "denied", "kernel peer credentials unavailable"), CancellationToken.None).ConfigureAwait(false);
            connection.Abort();
            return;
        }

        if (!allowedUids.Contains(credentials.Uid))
        {
            LogDenied(logger, credentials.Uid, credentials.Pid);
            await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), credentials.Describe(), "admin.connect", "admin socket", "denied", $"uid {credentials.Uid} is not in admin_uids"), CancellationToken.None).ConfigureAwait(false);
            connection.Abort();
            return;
        }

        connection.Features.Set<IPeerCredentialsFeature>(new PeerCredentialsFeature(credentials));
        await next(connection).ConfigureAwait(false);
    };

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "admin socket: refused a connection whose kernel peer credentials could not be read")]
    private static partial void LogNoCredentials(ILogger logger);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "admin socket: refused uid {Uid} (pid {Pid}): not in admin_uids")]
    private static partial void LogDenied(ILogger logger, int uid, int pid);
}
