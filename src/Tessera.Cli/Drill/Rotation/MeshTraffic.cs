using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Tessera.Cli.Internal;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;

namespace Tessera.Cli.Drill.Rotation;

/// <summary>
/// Live mTLS traffic between the canary workloads: every identity listens on a loopback port with its current SVID
/// (mutual TLS through the SDK, peers verified against that workload's own bundle), and workers keep calling from
/// identity <c>i</c> to identity <c>i + 1</c> with a fresh handshake per request, so every rotated SVID and bundle
/// is exercised at once. Counts successes and failures (with the first distinct reasons).
/// </summary>
internal sealed class MeshTraffic : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);
    private readonly IReadOnlyList<ChosenSvidSource> _identities;
    private readonly IReadOnlyList<SpiffeId> _ids;
    private readonly List<TcpListener> _listeners = [];
    private readonly List<Task> _loops = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, int> _reasons = new(StringComparer.Ordinal);
    private long _ok;
    private long _failed;
    private long _next;

    public MeshTraffic(IReadOnlyList<ChosenSvidSource> identities, IReadOnlyList<SpiffeId> ids)
    {
        _identities = identities;
        _ids = ids;
    }

    public long Succeeded => Interlocked.Read(ref _ok);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Gets up to five distinct failure reasons with their counts.</summary>
    public IReadOnlyDictionary<string, int> Reasons => _reasons;

    /// <summary>Starts one listener per identity and <paramref name="concurrency"/> calling workers.</summary>
    public void Start(int concurrency)
    {
        for (var i = 0; i < _identities.Count; i++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start(512);
            _listeners.Add(listener);
            var identity = _identities[i];
            _loops.Add(Task.Run(() => AcceptAsync(listener, identity, _stop.Token)));
        }

        for (var w = 0; w < concurrency; w++)
        {
            _loops.Add(Task.Run(() => CallAsync(_stop.Token)));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Stop();
        }

        await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptAsync(TcpListener listener, ChosenSvidSource identity, CancellationToken stop)
    {
        var trustDomain = _ids[0].TrustDomain;
        while (!stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stop).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(client, identity, trustDomain, stop), CancellationToken.None);
        }
    }

    private static async Task ServeAsync(TcpClient client, ChosenSvidSource identity, TrustDomain trustDomain, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            using (client)
            {
                var tls = new SslStream(client.GetStream());
                await using (tls.ConfigureAwait(false))
                {
                    // Options per connection: the SVID current at this handshake is presented.
                    await tls.AuthenticateAsServerAsync(SpiffeTls.MtlsServerOptions(identity, identity, PeerAuthorizer.MemberOf(trustDomain)), timeout.Token).ConfigureAwait(false);
                    var buffer = new byte[4];
                    await tls.ReadExactlyAsync(buffer, timeout.Token).ConfigureAwait(false);
                    await tls.WriteAsync("pong"u8.ToArray(), timeout.Token).ConfigureAwait(false);
                    await tls.FlushAsync(timeout.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
        {
            // The calling side counts the failure; a server-side refusal shows there as a failed handshake.
        }
    }

    private async Task CallAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var from = (int)((Interlocked.Increment(ref _next) - 1) % _identities.Count);
            var to = (from + 1) % _identities.Count;
            try
            {
                await RequestAsync(_identities[from], _ids[to], ((IPEndPoint)_listeners[to].LocalEndpoint).Port, stop).ConfigureAwait(false);
                Interlocked.Increment(ref _ok);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or System.Security.Authentication.AuthenticationException or InvalidOperationException)
            {
                Interlocked.Increment(ref _failed);
                var reason = $"{_ids[from]} → {_ids[to]}: {ex.GetBaseException().Message}";
                if (_reasons.Count < 5)
                {
                    _reasons.AddOrUpdate(reason, 1, (_, n) => n + 1);
                }
            }
        }
    }

    private static async Task RequestAsync(ChosenSvidSource from, SpiffeId to, int port, CancellationToken stop)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(RequestTimeout);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token).ConfigureAwait(false);
        var tls = new SslStream(client.GetStream());
        await using (tls.ConfigureAwait(false))
        {
            await tls.AuthenticateAsClientAsync(SpiffeTls.MtlsClientOptions(from, from, PeerAuthorizer.Id(to)), timeout.Token).ConfigureAwait(false);
            await tls.WriteAsync("ping"u8.ToArray(), timeout.Token).ConfigureAwait(false);
            await tls.FlushAsync(timeout.Token).ConfigureAwait(false);
            var buffer = new byte[4];
            await tls.ReadExactlyAsync(buffer, timeout.Token).ConfigureAwait(false);
            if (!buffer.AsSpan().SequenceEqual("pong"u8))
            {
                throw new InvalidOperationException("the peer answered something other than pong");
            }
        }
    }
}
