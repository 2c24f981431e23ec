using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tessera.Spiffe.X509.Internal;

/// <summary>
/// Decodes an unencrypted PKCS#8 private key (RFC 5208), PEM "PRIVATE KEY" or DER, holding an EC or RSA
/// key, and checks that it belongs to a certificate. Every failure is a <see cref="FormatException"/>.
/// </summary>
internal static class PrivateKeyDecoder
{
    private const string PemLabel = "PRIVATE KEY";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    /// <summary>Decodes a PKCS#8 key from PEM or DER (autodetected).</summary>
    public static AsymmetricAlgorithm Decode(ReadOnlySpan<byte> data) =>
        CertificateDecoder.LooksLikePem(data) ? DecodePem(data) : DecodeDer(data);

    /// <summary>Decodes a DER PKCS#8 PrivateKeyInfo.</summary>
    public static AsymmetricAlgorithm DecodeDer(ReadOnlySpan<byte> der)
    {
        if (der.IsEmpty)
        {
            throw new FormatException("private key is empty; expected a PKCS#8 key, PEM \"PRIVATE KEY\" or DER");
        }

        string algorithm;
        try
        {
            // PrivateKeyInfo ::= SEQUENCE { version INTEGER, privateKeyAlgorithm AlgorithmIdentifier, privateKey OCTET STRING, ... }
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var info = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            info.ReadInteger();
            algorithm = info.ReadSequence().ReadObjectIdentifier();
        }
        catch (AsnContentException)
        {
            throw new FormatException("private key is not a DER PKCS#8 PrivateKeyInfo (and the input is not PEM)");
        }

        AsymmetricAlgorithm key = algorithm switch
        {
            EcPublicKeyOid => ECDsa.Create(),
            RsaEncryptionOid => RSA.Create(),
            _ => throw new FormatException($"private key algorithm {algorithm} is not supported; expected EC or RSA"),
        };
        try
        {
            // Trailing data was rejected above (ThrowIfNotEmpty), so every byte read belongs to the key.
            key.ImportPkcs8PrivateKey(der, out _);
            return key;
        }
        catch (CryptographicException)
        {
            key.Dispose();
            throw new FormatException("private key is malformed: the PKCS#8 structure cannot be imported");
        }
        catch (PlatformNotSupportedException)
        {
            // Thrown for EC keys on a curve the platform's crypto library does not know (found by fuzzing).
            key.Dispose();
            throw new FormatException("private key uses an elliptic curve this platform does not support");
        }
    }

    /// <summary>Throws unless <paramref name="key"/> is the private half of <paramref name="certificate"/>'s public key.</summary>
    public static void EnsureMatches(AsymmetricAlgorithm key, X509Certificate2 certificate)
    {
        bool matches;
        try
        {
            matches = key switch
            {
                ECDsa ec => certificate.GetECDsaPublicKey() is { } pub && SamePoint(ec, pub),
                RSA rsa => certificate.GetRSAPublicKey() is { } pub && SameModulus(rsa, pub),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            matches = false;
        }

        if (!matches)
        {
            throw new FormatException("private key does not match the public key of the leaf certificate");
        }
    }

    private static bool SamePoint(ECDsa key, ECDsa certificateKey)
    {
        using (certificateKey)
        {
            var a = key.ExportParameters(false);
            var b = certificateKey.ExportParameters(false);
            return a.Curve.Oid.Value == b.Curve.Oid.Value
                && a.Q.X.AsSpan().SequenceEqual(b.Q.X) && a.Q.Y.AsSpan().SequenceEqual(b.Q.Y);
        }
    }

    private static bool SameModulus(RSA key, RSA certificateKey)
    {
        using (certificateKey)
        {
            var a = key.ExportParameters(false);
            var b = certificateKey.ExportParameters(false);
            return a.Modulus.AsSpan().SequenceEqual(b.Modulus) && a.Exponent.AsSpan().SequenceEqual(b.Exponent);
        }
    }

    private static AsymmetricAlgorithm DecodePem(ReadOnlySpan<byte> data)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(data);
        }
        catch (DecoderFallbackException)
        {
            throw new FormatException("private key is not valid UTF-8 PEM text");
        }

        ReadOnlySpan<char> rest = text;
        while (PemEncoding.TryFind(rest, out var fields))
        {
            var label = rest[fields.Label];
            if (label.SequenceEqual(PemLabel))
            {
                var der = new byte[fields.DecodedDataLength];
                if (!Convert.TryFromBase64Chars(rest[fields.Base64Data], der, out var written))
                {
                    throw new FormatException("private key PEM block has invalid base64 content");
                }

                return DecodeDer(der.AsSpan(0, written));
            }

            if (label.EndsWith(" PRIVATE KEY", StringComparison.Ordinal))
            {
                // "EC PRIVATE KEY" (SEC 1), "RSA PRIVATE KEY" (PKCS#1), "ENCRYPTED PRIVATE KEY": the Workload API
                // and SPIRE use unencrypted PKCS#8 only. The label comes from the input, so it is not echoed.
                throw new FormatException("private key PEM block is not \"PRIVATE KEY\" (PKCS#8); convert it with 'openssl pkcs8 -topk8 -nocrypt'");
            }

            rest = rest[fields.Location.End..];
        }

        throw new FormatException("private key PEM contains no \"PRIVATE KEY\" block");
    }
}
