using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Cli.Proxy;

/// <summary>The leaf certificate a completed SPIFFE TLS handshake accepted from the peer.</summary>
internal static class PeerCertificate
{
    public static X509Certificate2 Of(SslStream tls)
    {
        var remote = tls.RemoteCertificate ?? throw new InvalidOperationException("the TLS peer presented no certificate after a mutual TLS handshake");
        return remote as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(remote.GetRawCertData());
    }
}
