using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Server.Ca.Upstream;

/// <summary>
/// An operator-supplied CA (certificate + key PEM files) under which Tessera's X.509 CAs are intermediates.
/// The certificate file holds the signing certificate first, then its chain up to and including the root.
/// Relying parties trust <see cref="Roots"/>; SVIDs carry <see cref="Chain"/> after Tessera's intermediate.
/// </summary>
internal sealed class UpstreamAuthority : IDisposable
{
    private UpstreamAuthority(X509Certificate2 signer, IReadOnlyList<X509Certificate2> chain, IReadOnlyList<X509Certificate2> roots)
    {
        Signer = signer;
        Chain = chain;
        Roots = roots;
    }

    /// <summary>Gets the upstream signing certificate, with its private key.</summary>
    public X509Certificate2 Signer { get; }

    /// <summary>Gets the upstream certificates that are not roots (the signer first, unless it is itself the root).</summary>
    public IReadOnlyList<X509Certificate2> Chain { get; }

    /// <summary>Gets the self-signed certificates of the file: what the trust bundle publishes.</summary>
    public IReadOnlyList<X509Certificate2> Roots { get; }

    /// <summary>Loads the upstream authority from PEM files.</summary>
    /// <exception cref="InvalidOperationException">A file is unreadable, the key does not match, the signer is not a CA, or no root is included; the message names the file.</exception>
    public static UpstreamAuthority Load(string certificatePath, string keyPath)
    {
        X509Certificate2 signer;
        X509Certificate2Collection all = [];
        try
        {
            signer = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            all.ImportFromPemFile(certificatePath);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or ArgumentException)
        {
            throw new InvalidOperationException($"upstream authority: cannot load '{certificatePath}' with key '{keyPath}': {ex.Message}", ex);
        }

        if (signer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            throw new InvalidOperationException($"upstream authority: the first certificate of '{certificatePath}' is not a CA (basic constraints cA=true missing)");
        }

        var roots = all.Where(IsSelfSigned).ToArray();
        if (roots.Length == 0)
        {
            throw new InvalidOperationException($"upstream authority: '{certificatePath}' holds no self-signed root; append the root after the signing certificate");
        }

        return new UpstreamAuthority(signer, [.. all.Where(c => !IsSelfSigned(c))], roots);
    }

    /// <inheritdoc/>
    public void Dispose() => Signer.Dispose();

    private static bool IsSelfSigned(X509Certificate2 certificate) =>
        certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
}
