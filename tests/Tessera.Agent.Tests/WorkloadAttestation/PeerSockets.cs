using System.Net.Sockets;

namespace Tessera.Agent.Tests.WorkloadAttestation;

/// <summary>A listening Unix socket in a temp directory, to get real kernel peer credentials of a connecting process.</summary>
internal sealed class PeerSockets : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public PeerSockets()
    {
        Path = _dir.File("peer.sock");
        _listener.Bind(new UnixDomainSocketEndPoint(Path));
        _listener.Listen(8);
    }

    public string Path { get; }

    /// <summary>Accepts the next connection (time-boxed).</summary>
    public async Task<Socket> AcceptAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        return await _listener.AcceptAsync(cts.Token);
    }

    /// <summary>Connects from this process and returns both ends.</summary>
    public async Task<(Socket Client, Socket Server)> ConnectSelfAsync()
    {
        var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(Path));
        return (client, await AcceptAsync());
    }

    public void Dispose()
    {
        _listener.Dispose();
        _dir.Dispose();
    }
}
