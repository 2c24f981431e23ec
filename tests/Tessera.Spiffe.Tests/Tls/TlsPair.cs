using System.Net;
using System.Net.Security;
using System.Net.Sockets;

namespace Tessera.Spiffe.Tests.Tls;

/// <summary>Runs one TLS handshake over a real loopback TCP connection, each side with its own options.</summary>
internal static class TlsPair
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    public static async Task<(Exception? Server, Exception? Client, SslStream? ServerStream, SslStream? ClientStream)> HandshakeAsync(
        Func<SslServerAuthenticationOptions> server, SslClientAuthenticationOptions client)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cts = new CancellationTokenSource(Timeout);
        var accept = Task.Run(async () =>
        {
            var socket = await listener.AcceptTcpClientAsync(cts.Token);
            var stream = new SslStream(socket.GetStream(), leaveInnerStreamOpen: false);
            try
            {
                await stream.AuthenticateAsServerAsync((_, _, _, _) => ValueTask.FromResult(server()), null, cts.Token);
                return stream;
            }
            catch
            {
                // Closing the connection is how the client learns of the refusal.
                await stream.DisposeAsync();
                socket.Dispose();
                throw;
            }
        });

        var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cts.Token);
        var clientStream = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        Exception? clientError = null;
        try
        {
            await clientStream.AuthenticateAsClientAsync(client, cts.Token);

            // TLS 1.3: the server judges the client certificate after the client's handshake completes, so a
            // refusal surfaces on the client's first read.
            await clientStream.WriteAsync("ping"u8.ToArray(), cts.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            clientError = ex;
        }

        SslStream? serverStream = null;
        Exception? serverError = null;
        try
        {
            serverStream = await accept;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            serverError = ex;
        }

        if (clientError is null && serverError is not null)
        {
            // The client learns of the server's refusal on its next read.
            try
            {
                _ = await clientStream.ReadAsync(new byte[1], cts.Token);
                clientError = new IOException("connection closed by the server");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                clientError = ex;
            }
        }

        if (clientError is not null)
        {
            await clientStream.DisposeAsync();
        }

        return (serverError, clientError, serverStream, clientError is null ? clientStream : null);
    }
}
