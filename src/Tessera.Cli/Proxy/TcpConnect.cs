using System.Net.Sockets;

namespace Tessera.Cli.Proxy;

/// <summary>Opens a TCP connection within a time limit.</summary>
internal static class TcpConnect
{
    /// <summary>Returns the connected socket, or null and why not (refused, unreachable, timed out).</summary>
    public static async Task<(Socket? Socket, string? Error)> ConnectAsync(ProxyEndpoint target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(target.Host, target.Port, limit.Token).ConfigureAwait(false);
            return (socket, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            return (null, $"no connection to {target} within {timeout.TotalSeconds:0.#}s");
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            return (null, $"cannot connect to {target}: {ex.Message}");
        }
    }
}
