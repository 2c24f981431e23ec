using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Ca;
using Tessera.Server.NodeApi;

namespace Tessera.Server.Federation;

/// <summary>
/// The SPIFFE bundle endpoint (SPIFFE Federation §5): HTTPS, <c>GET /</c> returns this trust domain's bundle as
/// <c>application/json</c>. With https_spiffe the TLS certificate is the server's own X509-SVID, the one the agent
/// port presents, chosen per handshake so a rotation needs no restart; with https_web it is the operator's web
/// certificate. No client certificate is asked for: the bundle is public (§5.1).
/// </summary>
internal static class BundleEndpointListener
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    public static void Listen(KestrelServerOptions kestrel, IPEndPoint endpoint, FederationOptions options)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        var web = options.BundleEndpointProfile == BundleEndpointProfile.HttpsWeb
            ? new WebCertificateSource(options.BundleEndpointCertFile!, options.BundleEndpointKeyFile!)
            : null;
        kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.Use(next => connection =>
            {
                connection.Features.Set(new BundleEndpointConnectionFeature());
                return next(connection);
            });
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                HandshakeTimeout = HandshakeTimeout,
                OnConnection = _ => ValueTask.FromResult(new SslServerAuthenticationOptions
                {
                    ServerCertificateContext = web?.Current ?? kestrel.ApplicationServices.GetRequiredService<ServerSvidSource>().Current,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11],
                    ClientCertificateRequired = false,
                    CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                }),
            });
        });
    }

    /// <summary>Serves the bundle on the bundle endpoint's connections and 404 for every other path there; other listeners are untouched.</summary>
    public static void UseBundleEndpoint(this WebApplication app, TimeSpan refreshHint)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            if (context.Features.Get<BundleEndpointConnectionFeature>() is null)
            {
                await next(context).ConfigureAwait(false);
                return;
            }

            if (context.Request.Path != "/" || !HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var ca = context.RequestServices.GetRequiredService<CertificateAuthority>();
            context.Response.ContentType = "application/json";
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(BundleEndpointDocument.Render(ca, refreshHint), context.RequestAborted).ConfigureAwait(false);
        });
    }
}
