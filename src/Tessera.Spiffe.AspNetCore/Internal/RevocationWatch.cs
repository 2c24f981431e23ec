using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;

namespace Tessera.Spiffe.AspNetCore.Internal;

/// <summary>
/// Keeps the live connections of one endpoint (or one client handler) with the peer certificate each was accepted
/// with, and closes those whose certificate the deny list comes to revoke: a revoked credential must stop working,
/// not only be refused at the next handshake. Subscribes to the source for its own lifetime (that of the endpoint).
/// </summary>
internal sealed class RevocationWatch
{
    private readonly IDenyListSource _source;
    private readonly Func<ILogger> _logger;
    private readonly string _peerRole;
    private readonly ConcurrentDictionary<long, Live> _live = new();
    private long _nextId;

    public RevocationWatch(IDenyListSource source, Func<ILogger> logger, string peerRole)
    {
        _source = source;
        _logger = logger;
        _peerRole = peerRole;
        _source.Updated += (_, _) => CloseRevoked();
    }

    /// <summary>Gets how many connections are tracked (for tests).</summary>
    public int Count => _live.Count;

    /// <summary>
    /// Tracks a connection until the returned handle is disposed; <paramref name="close"/> is called once, with the
    /// reason, if its peer's certificate is (or becomes) revoked.
    /// </summary>
    public IDisposable Track(SpiffeId? peerId, X509Certificate2 leaf, Action<string> close)
    {
        var id = Interlocked.Increment(ref _nextId);
        var live = new Live(peerId, leaf, close);
        _live[id] = live;

        // The list may have changed between the handshake's check and this registration.
        if (_source.DenyList.CheckX509(leaf) is { } reason)
        {
            Close(live, reason);
        }

        return new Handle(this, id);
    }

    private void CloseRevoked()
    {
        var list = _source.DenyList;
        foreach (var live in _live.Values)
        {
            if (list.CheckX509(live.Leaf) is { } reason)
            {
                Close(live, reason);
            }
        }
    }

    private void Close(Live live, string reason)
    {
        if (Interlocked.Exchange(ref live.Closed, 1) != 0)
        {
            return;
        }

        SpiffeLog.RevokedConnectionClosed(_logger(), _peerRole, live.PeerId?.ToString() ?? "(no SPIFFE ID)", reason);
        try
        {
            live.Close(reason);
        }
#pragma warning disable CA1031 // A connection that fails to close (already gone) must not stop closing the others.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private sealed class Live(SpiffeId? peerId, X509Certificate2 leaf, Action<string> close)
    {
        public int Closed;

        public SpiffeId? PeerId { get; } = peerId;

        public X509Certificate2 Leaf { get; } = leaf;

        public Action<string> Close { get; } = close;
    }

    private sealed class Handle(RevocationWatch watch, long id) : IDisposable
    {
        public void Dispose() => watch._live.TryRemove(id, out _);
    }
}
