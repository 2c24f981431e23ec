using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Spiffe.X509.Internal;

/// <summary>
/// The extensions of one certificate that X509-SVID validation looks at, decoded with
/// <see cref="AsnReader"/> rather than the BCL's extension classes: <c>X509SubjectAlternativeNameExtension</c>
/// has no accessor for URI names, and decoding ourselves lets every malformed encoding surface as one
/// <see cref="FormatException"/> instead of whichever exception a platform decoder throws.
/// </summary>
internal sealed class CertificateExtensions
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string KeyUsageOid = "2.5.29.15";
    private const string BasicConstraintsOid = "2.5.29.19";

    // GeneralName ::= CHOICE { ... uniformResourceIdentifier [6] IA5String ... } (RFC 5280 §4.2.1.6).
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    private CertificateExtensions()
    {
    }

    /// <summary>Gets every URI GeneralName of the subjectAltName extension, in order.</summary>
    public IReadOnlyList<string> UriSans { get; private init; } = [];

    /// <summary>Gets whether basic constraints are present with cA=true (absent means cA=false, RFC 5280 §4.2.1.9).</summary>
    public bool IsCa { get; private init; }

    /// <summary>Gets the key usage bits, or null when the certificate has no key usage extension.</summary>
    public X509KeyUsageFlags? KeyUsage { get; private init; }

    /// <summary>Gets whether the key usage extension is marked critical.</summary>
    public bool KeyUsageCritical { get; private init; }

    /// <summary>Decodes the extensions of <paramref name="certificate"/>.</summary>
    /// <exception cref="FormatException">An extension is malformed or repeated; the message says which.</exception>
    public static CertificateExtensions Read(X509Certificate2 certificate)
    {
        X509ExtensionCollection extensions;
        try
        {
            extensions = certificate.Extensions;
        }
        catch (CryptographicException)
        {
            throw new FormatException("its extensions cannot be decoded");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        IReadOnlyList<string> uris = [];
        var isCa = false;
        X509KeyUsageFlags? keyUsage = null;
        var keyUsageCritical = false;
        foreach (var extension in extensions)
        {
            var oid = extension.Oid?.Value ?? string.Empty;

            // RFC 5280 §4.2: a certificate MUST NOT include more than one instance of an extension. A second
            // subjectAltName would let a URI hide from a validator that reads only the first.
            if (!seen.Add(oid))
            {
                throw new FormatException($"extension {oid} appears more than once (RFC 5280 §4.2)");
            }

            try
            {
                switch (oid)
                {
                    case SubjectAltNameOid:
                        uris = ReadUris(extension.RawData);
                        break;
                    case BasicConstraintsOid:
                        isCa = ReadCa(extension.RawData);
                        break;
                    case KeyUsageOid:
                        keyUsage = ReadKeyUsage(extension.RawData);
                        keyUsageCritical = extension.Critical;
                        break;
                    default:
                        break;
                }
            }
            catch (AsnContentException)
            {
                throw new FormatException($"extension {oid} is not valid DER");
            }
        }

        return new CertificateExtensions { UriSans = uris, IsCa = isCa, KeyUsage = keyUsage, KeyUsageCritical = keyUsageCritical };
    }

    // GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName. Every URI is counted, wherever it sits
    // among the other names, so that a second SPIFFE ID cannot go unnoticed (X509-SVID §2).
    private static List<string> ReadUris(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var uris = new List<string>();
        while (names.HasData)
        {
            if (names.PeekTag() == UriTag)
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }

        return uris;
    }

    // BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint INTEGER (0..MAX) OPTIONAL }
    private static bool ReadCa(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        var isCa = sequence.HasData && sequence.PeekTag().HasSameClassAndValue(Asn1Tag.Boolean) && sequence.ReadBoolean();
        if (sequence.HasData)
        {
            sequence.ReadInteger();
        }

        sequence.ThrowIfNotEmpty();
        return isCa;
    }

    // KeyUsage ::= BIT STRING { digitalSignature (0), ..., keyCertSign (5), cRLSign (6), ... decipherOnly (8) }.
    // Named bit n is bit (7 - n % 8) of byte n / 8, which is exactly how X509KeyUsageFlags lays out bits 0-7;
    // decipherOnly (bit 8) maps to X509KeyUsageFlags.DecipherOnly (0x8000).
    private static X509KeyUsageFlags ReadKeyUsage(byte[] der)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        var bits = reader.ReadBitString(out _);
        reader.ThrowIfNotEmpty();
        var flags = bits.Length > 0 ? (X509KeyUsageFlags)bits[0] : X509KeyUsageFlags.None;
        if (bits.Length > 1 && (bits[1] & 0x80) != 0)
        {
            flags |= X509KeyUsageFlags.DecipherOnly;
        }

        return flags;
    }
}
