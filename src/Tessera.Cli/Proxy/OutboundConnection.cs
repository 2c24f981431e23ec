using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using Tessera.Cli.Internal;
using Tessera.Spiffe.Tls;

namespace Tessera.Cli.Proxy;

/// <summary>
/// One connection of <c>tessera proxy outbound</c>: a plain local client, an mTLS connection to the upstream with the
/// current SVID (options built for this connection), the upstream's SPIFFE ID verified, then both piped together.
/// A refused upstream closes the local connection without a byte, so the client sees an error, never plain text.
/// An upstream whose certificate is revoked is refused, and an open connection to one that becomes revoked is closed.
/// </summary>
internal sealed class OutboundConnection(ProxySettings settings, TimeProvider time)
{
    public async Task HandleAsync(Socket client, long id, ChosenSvidSource svids, ProxyRevocation revocation, CancellationToken cancellationToken)
    {
        var remote = client.RemoteEndPoint?.ToString() ?? "?";
        var started = Stopwatch.GetTimestamp();
        var (upstream, error) = await TcpConnect.ConnectAsync(settings.Target, settings.ConnectTimeout, cancellationToken).ConfigureAwait(false);
        if (upstream is null)
        {
            ConsoleLog.Error(time, $"outbound #{id}: from {remote}: {error}; closing");
            return;
        }

        using (upstream)
        {
            var tls = new SslStream(new NetworkStream(upstream, ownsSocket: false));
            await using (tls.ConfigureAwait(false))
            {
                PeerRejection? rejection = null;
                var options = SpiffeTls.MtlsClientOptions(svids, svids, settings.Authorizer, new SpiffeTlsOptions { TimeProvider = time, DenyList = revocation.Source, OnPeerRejected = r => rejection = r });
                var failure = await TlsHandshake.RunAsync(ct => tls.AuthenticateAsClientAsync(options, ct), () => rejection, settings.HandshakeTimeout, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    ConsoleLog.Error(time, $"outbound #{id}: upstream {settings.Target} refused: {failure}");

                    // A reset, not a clean end of stream, so the local client reports an error rather than an empty answer.
                    client.LingerState = new LingerOption(true, 0);
                    return;
                }

                SpiffeTls.TryGetPeerId(tls.RemoteCertificate, out var peer);
                ConsoleLog.Info(time, $"outbound #{id}: {remote} -> {peer} at {settings.Target} ({tls.SslProtocol})");
                using var revoked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var tracking = revocation.Track(id, peer.ToString(), PeerCertificate.Of(tls), revoked.Cancel);
                var (toUpstream, toClient) = await Splice.RunAsync(client, tls, revoked.Token).ConfigureAwait(false);
                ConsoleLog.Info(time, $"outbound #{id}: closed after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms ({toUpstream} bytes out, {toClient} bytes in)");
            }
        }
    }
}
