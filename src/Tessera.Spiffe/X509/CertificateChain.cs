using System.Security.Cryptography.X509Certificates;

namespace Tessera.Spiffe.X509;

/// <summary>Reads certificate chains as SVIDs travel: PEM CERTIFICATE blocks or concatenated DER (the Workload API's form).</summary>
public static class CertificateChain
{
    /// <summary>Decodes one or more certificates from PEM or concatenated DER, in the order they appear.</summary>
    /// <exception cref="FormatException">The data holds no certificate or a malformed one; the message says which.</exception>
    public static IReadOnlyList<X509Certificate2> Parse(ReadOnlySpan<byte> data) =>
        CertificateDecoder.DecodeCertificates(data, "certificate chain");

    /// <summary>Reads a PEM or DER certificate chain from a file.</summary>
    /// <exception cref="FormatException">The file holds no certificate or a malformed one.</exception>
    public static IReadOnlyList<X509Certificate2> Load(string path) => Parse(File.ReadAllBytes(path));
}
