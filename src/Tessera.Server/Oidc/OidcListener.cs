using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tessera.Server.Configuration;

namespace Tessera.Server.Oidc;

/// <summary>
/// The OIDC discovery listener: HTTP/1.1, over TLS when the operator gives a certificate (relying parties such as
/// cloud IAM require https; plain HTTP suits a TLS-terminating proxy in front). Its connections carry an
/// <see cref="OidcConnectionFeature"/>, and nothing but the discovery documents is served on them.
/// </summary>
internal static class OidcListener
{
    public static void Listen(KestrelServerOptions kestrel, IPEndPoint endpoint, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(options);
        X509Certificate2? certificate = options.OidcTlsCertFile is null
            ? null
            : X509Certificate2.CreateFromPemFile(options.OidcTlsCertFile, options.OidcTlsKeyFile);
        kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http1;
            listen.Use(next => connection =>
            {
                connection.Features.Set(new OidcConnectionFeature());
                return next(connection);
            });
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        });
    }
}
