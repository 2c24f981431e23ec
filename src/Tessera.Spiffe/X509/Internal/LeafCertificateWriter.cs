using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Spiffe.X509.Internal;

/// <summary>
/// Writes an X509-SVID leaf certificate (RFC 5280 §4.1) in DER: the to-be-signed part, then the signed whole. The
/// profile is fixed by X509-SVID §4: cA=false (critical), key usage digitalSignature (critical), extended key usage
/// serverAuth and clientAuth, the SAN, and the subject and authority key identifiers.
/// </summary>
internal static class LeafCertificateWriter
{
    private const string BasicConstraintsOid = "2.5.29.19";
    private const string KeyUsageOid = "2.5.29.15";
    private const string ExtendedKeyUsageOid = "2.5.29.37";
    private const string SubjectAlternativeNameOid = "2.5.29.17";
    private const string SubjectKeyIdentifierOid = "2.5.29.14";
    private const string AuthorityKeyIdentifierOid = "2.5.29.35";

    // The fixed extension values, encoded once by the base class library's own extension types.
    private static readonly byte[] BasicConstraints = new X509BasicConstraintsExtension(false, false, 0, true).RawData;
    private static readonly byte[] KeyUsage = new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true).RawData;
    private static readonly byte[] ExtendedKeyUsage = new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false).RawData;

    private static readonly Asn1Tag VersionTag = new(TagClass.ContextSpecific, 0, isConstructed: true);
    private static readonly Asn1Tag ExtensionsTag = new(TagClass.ContextSpecific, 3, isConstructed: true);

    /// <summary>Writes the TBSCertificate of a v3 leaf.</summary>
    public static byte[] WriteToBeSigned(byte[] serial, byte[] signatureAlgorithm, byte[] issuerName, DateTimeOffset notBefore, DateTimeOffset notAfter, byte[] subjectName, PublicKey subjectKey, LeafExtensions extensions)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER, initialCapacity: 1024);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(VersionTag))
            {
                writer.WriteInteger(2); // v3
            }

            writer.WriteIntegerUnsigned(serial);
            writer.WriteEncodedValue(signatureAlgorithm);
            writer.WriteEncodedValue(issuerName);
            using (writer.PushSequence())
            {
                WriteTime(writer, notBefore);
                WriteTime(writer, notAfter);
            }

            writer.WriteEncodedValue(subjectName);
            writer.WriteEncodedValue(subjectKey.ExportSubjectPublicKeyInfo());
            using (writer.PushSequence(ExtensionsTag))
            using (writer.PushSequence())
            {
                WriteExtension(writer, BasicConstraintsOid, critical: true, BasicConstraints);
                WriteExtension(writer, KeyUsageOid, critical: true, KeyUsage);
                WriteExtension(writer, ExtendedKeyUsageOid, critical: false, ExtendedKeyUsage);
                WriteExtension(writer, SubjectAlternativeNameOid, critical: false, extensions.SubjectAlternativeName);
                WriteExtension(writer, SubjectKeyIdentifierOid, critical: false, extensions.SubjectKeyIdentifier);
                if (extensions.AuthorityKeyIdentifier is { } aki)
                {
                    WriteExtension(writer, AuthorityKeyIdentifierOid, critical: false, aki);
                }
            }
        }

        return writer.Encode();
    }

    /// <summary>Writes the Certificate: the TBSCertificate, the signature algorithm and the signature (X.509 format).</summary>
    public static byte[] WriteCertificate(byte[] toBeSigned, byte[] signatureAlgorithm, byte[] signature)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER, initialCapacity: toBeSigned.Length + signatureAlgorithm.Length + signature.Length + 16);
        using (writer.PushSequence())
        {
            writer.WriteEncodedValue(toBeSigned);
            writer.WriteEncodedValue(signatureAlgorithm);
            writer.WriteBitString(signature);
        }

        return writer.Encode();
    }

    // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
    private static void WriteTime(AsnWriter writer, DateTimeOffset value)
    {
        if (value.UtcDateTime.Year < 2050)
        {
            writer.WriteUtcTime(value, twoDigitYearMax: 2049);
        }
        else
        {
            writer.WriteGeneralizedTime(value, omitFractionalSeconds: true);
        }
    }

    private static void WriteExtension(AsnWriter writer, string oid, bool critical, byte[] value)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            if (critical)
            {
                writer.WriteBoolean(true); // DEFAULT FALSE: written only when true (DER)
            }

            writer.WriteOctetString(value);
        }
    }
}
