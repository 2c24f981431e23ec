using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tls.Internal;

/// <summary>
/// The TLS certificate context (leaf with its key, and the intermediates to send) of each SVID, built once per
/// SVID rather than once per handshake. Entries go when the SVID is collected, so rotation needs no cleanup.
/// </summary>
internal static class CertificateContexts
{
    private static readonly ConditionalWeakTable<X509Svid, SslStreamCertificateContext> Contexts = [];

    public static SslStreamCertificateContext For(X509Svid svid) =>
        Contexts.GetValue(svid, static s =>
        {
            var intermediates = new X509Certificate2Collection();
            for (var i = 1; i < s.Chain.Count; i++)
            {
                intermediates.Add(s.Chain[i]);
            }

            // offline: the chain is built from the SVID's own intermediates only; nothing is fetched over the network.
            return SslStreamCertificateContext.Create(s.GetCertificateWithKey(), intermediates, offline: true);
        });
}
