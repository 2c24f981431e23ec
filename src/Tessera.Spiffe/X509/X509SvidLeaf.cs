namespace Tessera.Spiffe.X509;

/// <summary>
/// A leaf X509-SVID as issued by <see cref="X509LeafSigner"/>: its DER encoding and the facts an issuer records
/// about it, so a caller that only sends the certificate on need not parse it back.
/// </summary>
public sealed class X509SvidLeaf
{
    internal X509SvidLeaf(byte[] der, string serialNumber, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        Der = der;
        SerialNumber = serialNumber;
        NotBefore = notBefore;
        NotAfter = notAfter;
    }

    /// <summary>The certificate, DER-encoded.</summary>
    public ReadOnlyMemory<byte> Der { get; }

    /// <summary>The serial number as upper-case hex, as <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.SerialNumber"/> gives it.</summary>
    public string SerialNumber { get; }

    /// <summary>The start of validity (whole seconds, UTC), after clamping to the issuer's.</summary>
    public DateTimeOffset NotBefore { get; }

    /// <summary>The end of validity (whole seconds, UTC), after clamping to the issuer's.</summary>
    public DateTimeOffset NotAfter { get; }
}
