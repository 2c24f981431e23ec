using System.Net.Sockets;
using Grpc.Net.Client;

namespace Tessera.Contracts.Transport;

/// <summary>Creates gRPC channels that speak HTTP/2 over a Unix domain socket (the admin socket, the Workload API).</summary>
public static class UnixSocketChannel
{
    /// <summary>Returns a channel whose every connection goes to the socket at <paramref name="path"/>.</summary>
    public static GrpcChannel Create(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };

        // The authority is never resolved: every connection goes through ConnectCallback.
        return GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }
}
