using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Spiffe.AspNetCore.Internal;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.WorkloadApi;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.AspNetCore.Http;

/// <summary>
/// Creates <see cref="SocketsHttpHandler"/>s that speak TLS to SPIFFE servers, for <see cref="HttpClient"/> and
/// gRPC (<c>new GrpcChannelOptions { HttpHandler = SpiffeHttpHandler.Create(...) }</c>).
/// </summary>
/// <remarks>
/// The TLS handshake is done in the handler's <see cref="SocketsHttpHandler.ConnectCallback"/>, so every new
/// connection presents the SVID current at that moment with its intermediates, and verifies the server's SVID
/// against the bundle set and authorizes its SPIFFE ID. With <see cref="SpiffeTlsOptions.DenyList"/> set in
/// <see cref="SpiffeHttpHandlerOptions.Tls"/>, a server whose certificate serial is revoked is refused, and an open
/// connection to a server whose certificate becomes revoked is closed when the list updates (event 6106). Host names are not validated: the URL only says where to
/// connect. HTTP/2 is negotiated with ALPN when the request asks for it (gRPC always does). No proxy is used,
/// since a proxy tunnel would bypass the callback.
/// </remarks>
public static class SpiffeHttpHandler
{
    /// <summary>Creates a handler for mutual TLS: presents the current SVID of <paramref name="svids"/> and accepts only servers <paramref name="serverAuthorizer"/> allows.</summary>
    /// <param name="svids">Where the client's SVID comes from (read for every new connection).</param>
    /// <param name="bundles">The trust bundles server SVIDs are verified against.</param>
    /// <param name="serverAuthorizer">Which server SPIFFE IDs the client talks to.</param>
    /// <param name="options">Timeouts, logging and TLS settings (optional).</param>
    /// <returns>A handler for one <see cref="HttpClient"/> or gRPC channel; dispose it with them.</returns>
    public static SocketsHttpHandler Create(IX509SvidSource svids, IX509BundleSource bundles, PeerAuthorizer serverAuthorizer, SpiffeHttpHandlerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(svids);
        ArgumentNullException.ThrowIfNull(bundles);
        ArgumentNullException.ThrowIfNull(serverAuthorizer);
        options ??= new SpiffeHttpHandlerOptions();
        var tls = WithLogging(options);
        return Build(options, () => SpiffeTls.MtlsClientOptions(svids, bundles, serverAuthorizer, tls));
    }

    /// <summary>Creates a mutual-TLS handler from a Workload API <see cref="X509Source"/>; see <see cref="Create(IX509SvidSource, IX509BundleSource, PeerAuthorizer, SpiffeHttpHandlerOptions?)"/>.</summary>
    /// <param name="source">The workload's SVID and bundles, kept current by the Workload API.</param>
    /// <param name="serverAuthorizer">Which server SPIFFE IDs the client talks to.</param>
    /// <param name="options">Timeouts, logging and TLS settings (optional).</param>
    /// <returns>A handler for one <see cref="HttpClient"/> or gRPC channel.</returns>
    public static SocketsHttpHandler Create(X509Source source, PeerAuthorizer serverAuthorizer, SpiffeHttpHandlerOptions? options = null) =>
        Create(source, source, serverAuthorizer, options);

    /// <summary>Creates a handler for one-way TLS: presents no certificate, verifies the server's SVID and authorizes its SPIFFE ID (for callers that send a JWT-SVID).</summary>
    /// <param name="bundles">The trust bundles server SVIDs are verified against.</param>
    /// <param name="serverAuthorizer">Which server SPIFFE IDs the client talks to.</param>
    /// <param name="options">Timeouts, logging and TLS settings (optional).</param>
    /// <returns>A handler for one <see cref="HttpClient"/> or gRPC channel.</returns>
    public static SocketsHttpHandler CreateTls(IX509BundleSource bundles, PeerAuthorizer serverAuthorizer, SpiffeHttpHandlerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(bundles);
        ArgumentNullException.ThrowIfNull(serverAuthorizer);
        options ??= new SpiffeHttpHandlerOptions();
        var tls = WithLogging(options);
        return Build(options, () => SpiffeTls.TlsClientOptions(bundles, serverAuthorizer, tls));
    }

    private static SocketsHttpHandler Build(SpiffeHttpHandlerOptions options, Func<SslClientAuthenticationOptions> tls)
    {
        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"ConnectTimeout must be positive (was {options.ConnectTimeout})", nameof(options));
        }

        var logger = options.Logger ?? NullLogger.Instance;
        var watch = options.Tls.DenyList is { } denyList ? new RevocationWatch(denyList, () => logger, "server") : null;
        return new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectTimeout = options.ConnectTimeout,
            PooledConnectionLifetime = options.PooledConnectionLifetime,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context, tls, logger, watch, cancellationToken),
        };
    }

    private static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, Func<SslClientAuthenticationOptions> tls, ILogger logger, RevocationWatch? watch, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        TrackedSslStream? stream = null;
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            stream = new TrackedSslStream(new NetworkStream(socket, ownsSocket: true));
            var options = tls();
            options.ApplicationProtocols = Alpn.For(context.InitialRequestMessage);
            await stream.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
            if (watch is not null && stream.RemoteCertificate is { } remote)
            {
                var leaf = remote as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(remote.GetRawCertData());
                SpiffeTls.TryGetPeerId(leaf, out var peerId);
                stream.Tracking = watch.Track(peerId, leaf, _ => ShutDown(socket));
            }

            // Since .NET 7 the handler uses an authenticated SslStream as it is, with the protocol ALPN chose.
            return stream;
        }
        catch (Exception ex)
        {
            SpiffeLog.ConnectFailed(logger, context.DnsEndPoint.Host, context.DnsEndPoint.Port, ex);
            if (stream is not null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
            throw;
        }
    }

    // Shutting the socket down ends the handler's pending reads at once; it then drops the connection as broken.
    private static void ShutDown(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
    }

    private static SpiffeTlsOptions WithLogging(SpiffeHttpHandlerOptions options)
    {
        var logger = options.Logger ?? NullLogger.Instance;
        var user = options.Tls.OnPeerRejected;
        return options.Tls with
        {
            OnPeerRejected = rejection =>
            {
                SpiffeLog.PeerRejected(logger, rejection);
                user?.Invoke(rejection);
            },
        };
    }
}
