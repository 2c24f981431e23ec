using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;

namespace Tessera.Agent.Svids;

/// <summary>
/// The signing certificates of one batch's chains, each decoded once: every SVID of a batch carries the same
/// intermediates. Thread-safe; disposes what it decoded.
/// </summary>
internal sealed class IssuerCertificates : IDisposable
{
    private readonly ConcurrentDictionary<ByteString, Lazy<X509Certificate2>> _decoded = new();

    /// <summary>Returns the decoded certificate for <paramref name="der"/>.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">The bytes are not a certificate.</exception>
    public X509Certificate2 Get(ByteString der) =>
        _decoded.GetOrAdd(der, static d => new Lazy<X509Certificate2>(() => X509CertificateLoader.LoadCertificate(d.Span))).Value;

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var certificate in _decoded.Values.Where(l => l.IsValueCreated))
        {
            certificate.Value.Dispose();
        }
    }
}
