using System.Net;
using System.Net.Sockets;

namespace Tessera.Cli.Tests;

/// <summary>
/// A TCP echo service on a loopback port, the plain target or upstream of a proxy under test. With
/// <c>secure</c>, each connection is first turned into the stream to echo on (e.g. an mTLS <c>SslStream</c>).
/// </summary>
internal sealed class LoopbackEchoServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<NetworkStream, CancellationToken, Task<Stream>>? _secure;

    public LoopbackEchoServer(Func<NetworkStream, CancellationToken, Task<Stream>>? secure = null)
    {
        _secure = secure;
        _listener.Start();
        _ = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => EchoAsync(client));
        }
    }

    private async Task EchoAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = _secure is null ? client.GetStream() : await _secure(client.GetStream(), _stop.Token);
                await using (stream)
                {
                    await stream.CopyToAsync(stream, _stop.Token);
                }
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException or System.Security.Authentication.AuthenticationException)
            {
            }
        }
    }
}
