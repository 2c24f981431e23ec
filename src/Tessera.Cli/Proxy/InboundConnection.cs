using System.Diagnostics;
using System.Net.Security;
using System.Net.Sockets;
using Tessera.Cli.Internal;
using Tessera.Spiffe.Tls;

namespace Tessera.Cli.Proxy;

/// <summary>
/// One connection of <c>tessera proxy inbound</c>: an mTLS handshake with the current SVID (options built for this
/// connection, so a rotated SVID is used from the next one on), the client's SPIFFE ID authorized, then the
/// decrypted stream piped to the plain local port. A client whose certificate is revoked is refused, and an open
/// connection whose client certificate becomes revoked is closed.
/// </summary>
internal sealed class InboundConnection(ProxySettings settings, TimeProvider time)
{
    public async Task HandleAsync(Socket client, long id, ChosenSvidSource svids, ProxyRevocation revocation, CancellationToken cancellationToken)
    {
        var remote = client.RemoteEndPoint?.ToString() ?? "?";
        var started = Stopwatch.GetTimestamp();
        var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        await using (tls.ConfigureAwait(false))
        {
            PeerRejection? rejection = null;
            var options = SpiffeTls.MtlsServerOptions(svids, svids, settings.Authorizer, new SpiffeTlsOptions { TimeProvider = time, DenyList = revocation.Source, OnPeerRejected = r => rejection = r });
            var failure = await TlsHandshake.RunAsync(ct => tls.AuthenticateAsServerAsync(options, ct), () => rejection, settings.HandshakeTimeout, cancellationToken).ConfigureAwait(false);
            if (failure is not null)
            {
                ConsoleLog.Error(time, $"inbound #{id}: refused {remote}: {failure}");
                return;
            }

            SpiffeTls.TryGetPeerId(tls.RemoteCertificate, out var peer);
            var (target, error) = await TcpConnect.ConnectAsync(settings.Target, settings.ConnectTimeout, cancellationToken).ConfigureAwait(false);
            if (target is null)
            {
                ConsoleLog.Error(time, $"inbound #{id}: {peer} from {remote}: {error}; closing");
                return;
            }

            using (target)
            {
                ConsoleLog.Info(time, $"inbound #{id}: {peer} from {remote} -> {settings.Target} ({tls.SslProtocol})");
                using var revoked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                using var tracking = revocation.Track(id, peer.ToString(), PeerCertificate.Of(tls), revoked.Cancel);
                var (toPeer, toTarget) = await Splice.RunAsync(target, tls, revoked.Token).ConfigureAwait(false);
                ConsoleLog.Info(time, $"inbound #{id}: closed after {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms ({toTarget} bytes in, {toPeer} bytes out)");
            }
        }
    }
}
