using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Tessera.Cli.Internal;
using Tessera.Spiffe.Revocation;

namespace Tessera.Cli.Proxy;

/// <summary>
/// The proxy's side of revocation: the deny list its TLS handshakes check (null when the agent does not serve one),
/// and the spliced connections that are open, each with the peer certificate it was accepted with. When the list
/// updates, every connection whose peer certificate it now revokes is closed, with one log line. Owns the source:
/// disposing stops watching the agent.
/// </summary>
internal sealed class ProxyRevocation : IAsyncDisposable
{
    private readonly ConcurrentDictionary<long, Live> _live = new();
    private readonly string _direction;
    private readonly TimeProvider _time;

    public ProxyRevocation(IDenyListSource? source, string direction, TimeProvider time)
    {
        Source = source;
        _direction = direction;
        _time = time;
        if (source is not null)
        {
            source.Updated += (_, _) => CloseRevoked();
        }
    }

    /// <summary>Gets the deny list handshakes are checked against; null when the proxy runs without one.</summary>
    public IDenyListSource? Source { get; }

    /// <summary>
    /// Tracks connection <paramref name="id"/> until the returned handle is disposed; <paramref name="close"/> is
    /// called once if its peer's certificate is (or becomes) revoked.
    /// </summary>
    public IDisposable Track(long id, string peer, X509Certificate2 leaf, Action close)
    {
        if (Source is null)
        {
            return NoTracking.Instance;
        }

        var live = new Live(peer, leaf, close);
        _live[id] = live;

        // The list may have changed between the handshake's check and this registration.
        if (Source.DenyList.CheckX509(leaf) is { } reason)
        {
            Close(id, live, reason);
        }

        return new Handle(this, id);
    }

    /// <summary>Stops watching the deny list (when the source is disposable).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Source is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void CloseRevoked()
    {
        var list = Source!.DenyList;
        foreach (var (id, live) in _live)
        {
            if (list.CheckX509(live.Leaf) is { } reason)
            {
                Close(id, live, reason);
            }
        }
    }

    private void Close(long id, Live live, string reason)
    {
        if (Interlocked.Exchange(ref live.Closed, 1) != 0)
        {
            return;
        }

        ConsoleLog.Error(_time, $"{_direction} #{id}: closing the connection of {live.Peer}: {reason}");
        try
        {
            live.Close();
        }
        catch (ObjectDisposedException)
        {
            // The connection ended on its own meanwhile.
        }
    }

    private sealed class Live(string peer, X509Certificate2 leaf, Action close)
    {
        public int Closed;

        public string Peer { get; } = peer;

        public X509Certificate2 Leaf { get; } = leaf;

        public Action Close { get; } = close;
    }

    private sealed class Handle(ProxyRevocation owner, long id) : IDisposable
    {
        public void Dispose() => owner._live.TryRemove(id, out _);
    }

    private sealed class NoTracking : IDisposable
    {
        public static readonly NoTracking Instance = new();

        public void Dispose()
        {
        }
    }
}
