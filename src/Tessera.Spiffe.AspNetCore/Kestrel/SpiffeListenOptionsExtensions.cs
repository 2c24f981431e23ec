using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Spiffe.AspNetCore.Internal;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.WorkloadApi;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.AspNetCore.Kestrel;

/// <summary>Configures a Kestrel endpoint to serve TLS with the workload's X509-SVID.</summary>
/// <remarks>
/// The TLS configuration is built per handshake (<see cref="TlsHandshakeCallbackOptions"/>), so each new connection
/// gets the SVID current at that moment: rotation needs no restart, and established connections keep theirs.
/// Peers are verified against the bundle set, never the operating system's store, and never by host name.
/// </remarks>
public static class SpiffeListenOptionsExtensions
{
    /// <summary>
    /// Serves mutual TLS: presents the current SVID of <paramref name="svids"/>, requires a client X509-SVID that
    /// chains to a bundle of <paramref name="bundles"/>, and accepts only peers <paramref name="authorizer"/> allows.
    /// Each refused peer gets one warning log line (event 6101) naming its SPIFFE ID and the reason. With
    /// <see cref="SpiffeTlsOptions.DenyList"/> set, a client whose certificate serial is revoked is refused at the
    /// handshake, and an open connection whose client certificate becomes revoked is aborted when the list updates
    /// (event 6106).
    /// </summary>
    /// <param name="listenOptions">The endpoint.</param>
    /// <param name="svids">Where the server's SVID comes from (read on every handshake).</param>
    /// <param name="bundles">The trust bundles client SVIDs are verified against.</param>
    /// <param name="authorizer">Which client SPIFFE IDs may connect.</param>
    /// <param name="options">Clock, deny list, extra peer check and rejection callback (optional; the log line is written regardless).</param>
    /// <returns>The endpoint, for chaining.</returns>
    public static ListenOptions UseSpiffeMtls(this ListenOptions listenOptions, IX509SvidSource svids, IX509BundleSource bundles, PeerAuthorizer authorizer, SpiffeTlsOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(svids);
        ArgumentNullException.ThrowIfNull(bundles);
        ArgumentNullException.ThrowIfNull(authorizer);
        var logging = WithLogging(listenOptions, options ?? new SpiffeTlsOptions());
        listenOptions.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = context =>
            {
                // The peer the handshake accepts is recorded on the connection for SpiffeMtlsAuthenticationHandler.
                var peer = new SpiffePeerFeature();
                context.Connection.Features.Set(peer);
                var perConnection = logging with
                {
                    AdditionalPeerCheck = (id, leaf) =>
                    {
                        var refusal = options?.AdditionalPeerCheck?.Invoke(id, leaf);
                        if (refusal is null)
                        {
                            peer.Accept(id, leaf);
                        }

                        return refusal;
                    },
                };
                return ValueTask.FromResult(SpiffeTls.MtlsServerOptions(svids, bundles, authorizer, perConnection));
            },
        });
        if (logging.DenyList is { } denyList)
        {
            // After UseHttps: the middleware runs once the handshake accepted the client.
            listenOptions.Use(RevokedConnectionMiddleware.Create(new RevocationWatch(denyList, () => Logger(listenOptions), "client")));
        }

        return listenOptions;
    }

    /// <summary>
    /// Serves mutual TLS with the SVID and bundles of a Workload API <see cref="X509Source"/>; see
    /// <see cref="UseSpiffeMtls(ListenOptions, IX509SvidSource, IX509BundleSource, PeerAuthorizer, SpiffeTlsOptions?)"/>.
    /// </summary>
    /// <param name="listenOptions">The endpoint.</param>
    /// <param name="source">The workload's SVID and bundles, kept current by the Workload API.</param>
    /// <param name="authorizer">Which client SPIFFE IDs may connect.</param>
    /// <param name="options">Clock, extra peer check and rejection callback (optional).</param>
    /// <returns>The endpoint, for chaining.</returns>
    public static ListenOptions UseSpiffeMtls(this ListenOptions listenOptions, X509Source source, PeerAuthorizer authorizer, SpiffeTlsOptions? options = null) =>
        listenOptions.UseSpiffeMtls(source, source, authorizer, options);

    /// <summary>
    /// Serves one-way TLS with the current SVID of <paramref name="svids"/> and asks for no client certificate, for
    /// services whose callers authenticate another way (a JWT-SVID in the Authorization header).
    /// </summary>
    /// <param name="listenOptions">The endpoint.</param>
    /// <param name="svids">Where the server's SVID comes from (read on every handshake).</param>
    /// <returns>The endpoint, for chaining.</returns>
    public static ListenOptions UseSpiffeTls(this ListenOptions listenOptions, IX509SvidSource svids)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(svids);
        return listenOptions.UseHttps(new TlsHandshakeCallbackOptions
        {
            OnConnection = _ => ValueTask.FromResult(SpiffeTls.TlsServerOptions(svids)),
        });
    }

    private static ILogger Logger(ListenOptions listenOptions) =>
        listenOptions.ApplicationServices?.GetService<ILoggerFactory>()?.CreateLogger(SpiffeLog.Category) ?? NullLogger.Instance;

    private static SpiffeTlsOptions WithLogging(ListenOptions listenOptions, SpiffeTlsOptions options)
    {
        // Resolved on first use: the host's services are not always built when endpoints are configured.
        var logger = new Lazy<ILogger>(() => Logger(listenOptions));
        var user = options.OnPeerRejected;
        return options with
        {
            OnPeerRejected = rejection =>
            {
                SpiffeLog.PeerRejected(logger.Value, rejection);
                user?.Invoke(rejection);
            },
        };
    }
}
