using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Server.NodeApi;

/// <summary>
/// The agent port: HTTP/2 over TLS 1.2+ with the server SVID chosen per handshake. A client certificate is
/// requested but not required at the TLS layer (Attest has none); the node service verifies it against the
/// server's own bundle on every call that needs it. Every connection gets a <see cref="NodeConnectionFeature"/>.
/// </summary>
internal static class AgentListener
{
    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    public static void Listen(KestrelServerOptions kestrel, IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.Listen(endpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next => connection =>
            {
                connection.Features.Set(new NodeConnectionFeature());
                return next(connection);
            });
            listen.UseHttps(new TlsHandshakeCallbackOptions
            {
                HandshakeTimeout = HandshakeTimeout,
                OnConnection = context =>
                {
                    var svid = kestrel.ApplicationServices.GetRequiredService<ServerSvidSource>();
                    var feature = context.Connection.Features.Get<NodeConnectionFeature>()!;
                    return ValueTask.FromResult(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = svid.Current,
                        EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        ApplicationProtocols = [SslApplicationProtocol.Http2],
                        // Ask for a certificate without requiring one; trust is decided per call by the node service
                        // (X509SvidVerifier against the current bundle), not by the platform's store.
                        ClientCertificateRequired = true,
                        CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                        RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
                        {
                            // The other certificates the client sent (they are in ExtraStore) are kept for path validation.
                            var leaf = certificate?.GetRawCertData() ?? [];
                            feature.PresentedIntermediates = chain is null ? [] :
                                [.. chain.ChainPolicy.ExtraStore.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf)).Select(c => X509CertificateLoader.LoadCertificate(c.RawData))];
                            return true;
                        },
                    });
                },
            });
        });
    }
}
