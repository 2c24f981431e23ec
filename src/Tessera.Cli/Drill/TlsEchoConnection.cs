using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Drill;

/// <summary>
/// One mTLS connection made with the canary client SVID to an echo service (through the proxy or the drill's own
/// SDK listener). A credential counts as accepted only when a line comes back: under TLS 1.3 a server refuses a
/// client certificate after the client's handshake already completed, so the handshake alone proves nothing.
/// </summary>
internal sealed class TlsEchoConnection : IAsyncDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private int _sequence;

    private TlsEchoConnection(TcpClient tcp, SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
    }

    /// <summary>Connects, shakes hands and exchanges one line; the open connection, or why it was refused.</summary>
    public static async Task<(TlsEchoConnection? Connection, ProbeResult Result)> OpenAsync(IPEndPoint endPoint, X509Svid svid, IX509BundleSource bundles, SpiffeId serverId, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient();
        SslStream? tls = null;
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(Limit);
            await tcp.ConnectAsync(endPoint, limit.Token).ConfigureAwait(false);
            tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
            await tls.AuthenticateAsClientAsync(SpiffeTls.MtlsClientOptions(new FixedSvidSource(svid), bundles, PeerAuthorizer.Id(serverId)), limit.Token).ConfigureAwait(false);
            var connection = new TlsEchoConnection(tcp, tls);
            var result = await connection.PingAsync(cancellationToken).ConfigureAwait(false);
            if (result.Accepted)
            {
                return (connection, result);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            return (null, result);
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            if (tls is not null)
            {
                await tls.DisposeAsync().ConfigureAwait(false);
            }

            tcp.Dispose();
            return (null, ProbeResult.Refuse(Describe(ex)));
        }
    }

    /// <summary>Sends one line and waits for its echo; refused when the connection is closed, reset or silent.</summary>
    public async Task<ProbeResult> PingAsync(CancellationToken cancellationToken)
    {
        var line = $"tessera-drill {++_sequence}\n";
        var expected = Encoding.ASCII.GetBytes(line);
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(Limit);
            await _tls.WriteAsync(expected, limit.Token).ConfigureAwait(false);
            var received = new byte[expected.Length];
            var filled = 0;
            while (filled < received.Length)
            {
                var read = await _tls.ReadAsync(received.AsMemory(filled), limit.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    return ProbeResult.Refuse("connection closed by the server");
                }

                filled += read;
            }

            return received.AsSpan().SequenceEqual(expected) ? ProbeResult.Accept("echoed") : ProbeResult.Refuse("unexpected answer");
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or SocketException or ObjectDisposedException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return ProbeResult.Refuse(Describe(ex));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _tls.DisposeAsync().ConfigureAwait(false);
        _tcp.Dispose();
    }

    private static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => $"no answer within {Limit.TotalSeconds:0} s",
        _ => Internal.ConsoleLog.Sanitize((ex.InnerException ?? ex).Message),
    };
}
