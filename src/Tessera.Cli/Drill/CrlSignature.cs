using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Cli.Drill;

/// <summary>
/// Checks a CRL's signature (RFC 5280 §5.1.1.2–3) against a trust domain's X.509 authorities, as a relying party
/// must before trusting its list: ECDSA and RSA PKCS#1 v1.5 with SHA-256/384/512.
/// </summary>
internal static class CrlSignature
{
    /// <summary>Returns whether one of <paramref name="authorities"/> signed the CRL (DER or PEM).</summary>
    public static bool IsSignedBy(byte[] crl, IEnumerable<X509Certificate2> authorities)
    {
        ArgumentNullException.ThrowIfNull(authorities);
        var certList = new AsnReader(CrlSerials.Der(crl), AsnEncodingRules.DER).ReadSequence();
        var tbs = certList.ReadEncodedValue();
        var algorithm = certList.ReadSequence().ReadObjectIdentifier();
        var signature = certList.ReadBitString(out _);
        return Algorithm(algorithm) is { } chosen && authorities.Any(authority => Verify(authority, tbs.Span, signature, chosen));
    }

    private static (bool Ecdsa, HashAlgorithmName Hash)? Algorithm(string oid) => oid switch
    {
        "1.2.840.10045.4.3.2" => (true, HashAlgorithmName.SHA256),
        "1.2.840.10045.4.3.3" => (true, HashAlgorithmName.SHA384),
        "1.2.840.10045.4.3.4" => (true, HashAlgorithmName.SHA512),
        "1.2.840.113549.1.1.11" => (false, HashAlgorithmName.SHA256),
        "1.2.840.113549.1.1.12" => (false, HashAlgorithmName.SHA384),
        "1.2.840.113549.1.1.13" => (false, HashAlgorithmName.SHA512),
        _ => null,
    };

    private static bool Verify(X509Certificate2 authority, ReadOnlySpan<byte> tbs, byte[] signature, (bool Ecdsa, HashAlgorithmName Hash) algorithm)
    {
        if (algorithm.Ecdsa)
        {
            using var ecdsa = authority.GetECDsaPublicKey();
            return ecdsa is not null && ecdsa.VerifyData(tbs, signature, algorithm.Hash, DSASignatureFormat.Rfc3279DerSequence);
        }

        using var rsa = authority.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(tbs, signature, algorithm.Hash, RSASignaturePadding.Pkcs1);
    }
}
