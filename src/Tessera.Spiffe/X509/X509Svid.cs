using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509.Internal;

namespace Tessera.Spiffe.X509;

/// <summary>
/// An X509-SVID: a leaf certificate carrying a SPIFFE ID, the intermediates that sign it, and the
/// private key of the leaf (X509-SVID §2, §3). Every instance has passed the structural checks of the
/// X509-SVID specification and holds a key that matches the leaf; path validation against a bundle is
/// <see cref="X509SvidVerifier"/>'s job.
/// </summary>
public sealed class X509Svid : IDisposable
{
    private readonly X509Certificate2[] _chain;

    private X509Svid(SpiffeId id, X509Certificate2[] chain, AsymmetricAlgorithm privateKey, string? hint)
    {
        Id = id;
        _chain = chain;
        PrivateKey = privateKey;
        Hint = hint;
    }

    /// <summary>Gets the SPIFFE ID of the leaf certificate.</summary>
    public SpiffeId Id { get; }

    /// <summary>Gets the leaf certificate (without its private key; see <see cref="GetCertificateWithKey"/>).</summary>
    public X509Certificate2 Certificate => _chain[0];

    /// <summary>Gets the leaf followed by the intermediates that sign it, in the order they were given.</summary>
    public IReadOnlyList<X509Certificate2> Chain => _chain;

    /// <summary>Gets the private key of the leaf certificate (an <see cref="ECDsa"/> or <see cref="RSA"/>).</summary>
    public AsymmetricAlgorithm PrivateKey { get; }

    /// <summary>Gets when the leaf certificate expires.</summary>
    public DateTimeOffset NotAfter => new(_chain[0].NotAfter.ToUniversalTime(), TimeSpan.Zero);

    /// <summary>Gets the operator-chosen hint that tells SVIDs of one workload apart (Workload API), if any.</summary>
    public string? Hint { get; }

    /// <summary>Reads an SVID from a certificate chain file (leaf first) and a PKCS#8 key file, each PEM or DER.</summary>
    /// <exception cref="FormatException">A file is malformed, the chain breaks an X509-SVID rule, or the key does not match the leaf.</exception>
    public static X509Svid Load(string certChainPath, string keyPath)
    {
        ArgumentNullException.ThrowIfNull(certChainPath);
        ArgumentNullException.ThrowIfNull(keyPath);
        return Parse(File.ReadAllBytes(certChainPath), File.ReadAllBytes(keyPath));
    }

    /// <summary>
    /// Parses an SVID from certificates (PEM CERTIFICATE blocks or concatenated DER, leaf first) and an
    /// unencrypted PKCS#8 private key (PEM "PRIVATE KEY" or DER), EC or RSA.
    /// </summary>
    /// <exception cref="FormatException">The input is malformed, the chain breaks an X509-SVID rule, or the key does not match the leaf.</exception>
    public static X509Svid Parse(ReadOnlySpan<byte> certificates, ReadOnlySpan<byte> privateKey) =>
        Create(CertificateDecoder.DecodeCertificates(certificates, "certificate chain"), privateKey, PrivateKeyDecoder.Decode, hint: null);

    /// <summary>
    /// Parses an SVID in the Workload API's format: concatenated DER certificates (leaf first) and a DER
    /// PKCS#8 private key.
    /// </summary>
    /// <param name="derChain">The concatenated DER certificates.</param>
    /// <param name="pkcs8Key">The DER PKCS#8 private key of the leaf.</param>
    /// <param name="hint">The hint the Workload API sent with the SVID, if any.</param>
    /// <exception cref="FormatException">The input is not DER, the chain breaks an X509-SVID rule, or the key does not match the leaf.</exception>
    public static X509Svid ParseRaw(ReadOnlySpan<byte> derChain, ReadOnlySpan<byte> pkcs8Key, string? hint = null)
    {
        if (CertificateDecoder.LooksLikePem(derChain))
        {
            throw new FormatException("certificate chain is PEM; the raw format is concatenated DER (use Parse for PEM)");
        }

        return Create(CertificateDecoder.DecodeCertificates(derChain, "certificate chain"), pkcs8Key, PrivateKeyDecoder.DecodeDer, hint);
    }

    /// <summary>
    /// Returns a new copy of the leaf certificate bound to the private key, as TLS stacks such as
    /// <c>SslStream</c> need it. The caller owns (and disposes) the returned certificate.
    /// </summary>
    public X509Certificate2 GetCertificateWithKey() => PrivateKey switch
    {
        ECDsa ec => Certificate.CopyWithPrivateKey(ec),
        RSA rsa => Certificate.CopyWithPrivateKey(rsa),
        _ => throw new InvalidOperationException("private key is neither ECDsa nor RSA"),
    };

    /// <summary>Encodes the chain as PEM CERTIFICATE blocks (leaf first) and the key as a PEM PKCS#8 "PRIVATE KEY".</summary>
    public (string CertificatesPem, string PrivateKeyPem) ExportPem()
    {
        var certificates = string.Concat(_chain.Select(c => c.ExportCertificatePem() + "\n"));
        var key = PemEncoding.WriteString("PRIVATE KEY", PrivateKey.ExportPkcs8PrivateKey()) + "\n";
        return (certificates, key);
    }

    /// <summary>Describes the SVID (ID, expiry, chain length); never prints key material.</summary>
    public override string ToString() =>
        $"X509Svid {{ Id = {Id}, NotAfter = {NotAfter:O}, Certificates = {_chain.Length}{(Hint is null ? string.Empty : ", Hint = " + Hint)} }}";

    /// <summary>Disposes the certificates and the private key.</summary>
    public void Dispose()
    {
        foreach (var certificate in _chain)
        {
            certificate.Dispose();
        }

        PrivateKey.Dispose();
    }

    private delegate AsymmetricAlgorithm KeyDecoder(ReadOnlySpan<byte> data);

    private static X509Svid Create(List<X509Certificate2> chain, ReadOnlySpan<byte> privateKey, KeyDecoder decodeKey, string? hint)
    {
        AsymmetricAlgorithm? key = null;
        try
        {
            var check = X509SvidValidator.ValidateChain(chain);
            if (!check.IsValid)
            {
                throw new FormatException(check.Message);
            }

            key = decodeKey(privateKey);
            PrivateKeyDecoder.EnsureMatches(key, chain[0]);
            return new X509Svid(check.Id, [.. chain], key, hint);
        }
        catch
        {
            key?.Dispose();
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }

            throw;
        }
    }
}
