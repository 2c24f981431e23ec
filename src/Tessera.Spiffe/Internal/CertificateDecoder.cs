using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tessera.Spiffe;

/// <summary>
/// Decodes certificates from PEM or concatenated DER (the Workload API's and SPIRE's on-disk format),
/// turning every failure into a <see cref="FormatException"/> that names what was wrong.
/// </summary>
internal static class CertificateDecoder
{
    private const string PemCertificateLabel = "CERTIFICATE";

    /// <summary>Decodes one or more certificates; <paramref name="what"/> names the input in error messages.</summary>
    public static List<X509Certificate2> DecodeCertificates(ReadOnlySpan<byte> data, string what)
    {
        if (data.IsEmpty)
        {
            throw new FormatException($"{what} is empty; expected PEM CERTIFICATE blocks or DER certificates");
        }

        var certificates = LooksLikePem(data) ? DecodePem(data, what) : DecodeDer(data, what);
        if (certificates.Count == 0)
        {
            throw new FormatException($"{what} contains no certificate");
        }

        return certificates;
    }

    /// <summary>Returns whether the data is text starting (after whitespace) with a PEM boundary.</summary>
    public static bool LooksLikePem(ReadOnlySpan<byte> data)
    {
        var trimmed = data.TrimStart(" \t\r\n"u8);
        return trimmed.StartsWith("-----BEGIN "u8);
    }

    private static List<X509Certificate2> DecodePem(ReadOnlySpan<byte> data, string what)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException($"{what} is not valid UTF-8 PEM text");
        }

        var certificates = new List<X509Certificate2>();
        ReadOnlySpan<char> rest = text;
        var index = 0;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            index++;
            var label = rest[fields.Label];
            if (label.SequenceEqual(PemCertificateLabel))
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out var written))
                {
                    throw new FormatException($"{what}: PEM block {index} has invalid base64 content");
                }

                certificates.Add(LoadDer(der.AsSpan(0, written), what, index));
            }

            // Other blocks (e.g. a private key next to the chain) are skipped here; the caller that wants a
            // key reads it with KeyDecoder.
            rest = rest[fields.Location.End..];
        }

        return certificates;
    }

    private static List<X509Certificate2> DecodeDer(ReadOnlySpan<byte> data, string what)
    {
        var certificates = new List<X509Certificate2>();
        var index = 0;
        while (!data.IsEmpty)
        {
            index++;
            int length;
            try
            {
                AsnDecoder.ReadEncodedValue(data, AsnEncodingRules.DER, out _, out _, out length);
            }
            catch (AsnContentException)
            {
                throw new FormatException($"{what}: certificate {index} is not valid DER (and the input is not PEM)");
            }

            certificates.Add(LoadDer(data[..length], what, index));
            data = data[length..];
        }

        return certificates;
    }

    private static X509Certificate2 LoadDer(ReadOnlySpan<byte> der, string what, int index)
    {
        try
        {
            return X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            throw new FormatException($"{what}: certificate {index} is malformed");
        }
    }
}
