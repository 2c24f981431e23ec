using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Tessera.Cli.Drill;

/// <summary>Reads the revoked serial numbers out of an X.509 CRL (RFC 5280 §5.1), DER or PEM.</summary>
internal static class CrlSerials
{
    /// <summary>Returns the revoked serials as upper-case hex without leading zero bytes; throws <see cref="AsnContentException"/> on a malformed CRL.</summary>
    public static IReadOnlySet<string> Read(byte[] crl)
    {
        var der = Der(crl);
        var serials = new HashSet<string>(StringComparer.Ordinal);
        // CertificateList ::= SEQUENCE { tbsCertList, signatureAlgorithm, signatureValue }
        var certList = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = certList.ReadSequence();
        if (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Integer))
        {
            tbs.ReadInteger(); // version v2
        }

        tbs.ReadSequence(); // signature AlgorithmIdentifier
        tbs.ReadSequence(); // issuer Name
        ReadTime(tbs); // thisUpdate
        if (tbs.HasData && (tbs.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime) || tbs.PeekTag().HasSameClassAndValue(Asn1Tag.GeneralizedTime)))
        {
            ReadTime(tbs); // nextUpdate
        }

        if (tbs.HasData && tbs.PeekTag().HasSameClassAndValue(Asn1Tag.Sequence))
        {
            var revoked = tbs.ReadSequence();
            while (revoked.HasData)
            {
                var item = revoked.ReadSequence();
                serials.Add(Hex(item.ReadIntegerBytes().Span));
            }
        }

        return serials;
    }

    /// <summary>Returns the DER of a CRL given as DER or PEM.</summary>
    public static byte[] Der(byte[] crl)
    {
        ArgumentNullException.ThrowIfNull(crl);
        var text = System.Text.Encoding.ASCII.GetString(crl);
        if (!text.Contains("-----BEGIN X509 CRL-----", StringComparison.Ordinal))
        {
            return crl;
        }

        var fields = PemEncoding.Find(text);
        return Convert.FromBase64String(text[fields.Base64Data]);
    }

    /// <summary>Normalizes a hex serial (any case, leading zeros) the way <see cref="Read"/> reports it.</summary>
    public static string Normalize(string serialHex) => Hex(Convert.FromHexString(serialHex.Length % 2 == 0 ? serialHex : "0" + serialHex));

    private static void ReadTime(AsnReader reader)
    {
        if (reader.PeekTag().HasSameClassAndValue(Asn1Tag.UtcTime))
        {
            reader.ReadUtcTime();
        }
        else
        {
            reader.ReadGeneralizedTime();
        }
    }

    private static string Hex(ReadOnlySpan<byte> bytes)
    {
        var start = 0;
        while (start < bytes.Length - 1 && bytes[start] == 0)
        {
            start++;
        }

        return Convert.ToHexString(bytes[start..]);
    }
}
