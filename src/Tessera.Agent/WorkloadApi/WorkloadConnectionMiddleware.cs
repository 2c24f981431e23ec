using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Logging;
using Tessera.Agent.WorkloadAttestation;

namespace Tessera.Agent.WorkloadApi;

/// <summary>
/// Kestrel connection middleware on the Workload API socket: reads the caller's kernel credentials and pidfd
/// once, when it connects, and keeps them as a connection feature (<see cref="WorkloadPeer"/>) for every call
/// on that connection; the pidfd is closed with the connection. Without credentials the connection still
/// opens, and each call is refused with a clear status (<see cref="WorkloadApiErrors.NoPeer"/>).
/// </summary>
internal sealed partial class WorkloadConnectionMiddleware(ILogger<WorkloadConnectionMiddleware> logger)
{
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        using var peer = socket is null ? null : WorkloadPeer.TryRead(socket);
        if (peer is null)
        {
            LogNoCredentials(logger, connection.ConnectionId);
        }
        else
        {
            connection.Features.Set(peer);
        }

        await next(connection).ConfigureAwait(false);
    };

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Workload API connection {ConnectionId}: kernel peer credentials could not be read; its calls will be refused")]
    private static partial void LogNoCredentials(ILogger logger, string connectionId);
}
