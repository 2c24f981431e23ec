using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Server.Ca.Internal;

/// <summary>
/// Reads the one thing the CA takes from a PKCS#10 CSR: its public key, after checking the CSR's signature
/// (proof of possession). Extensions, SANs and the subject are never read: the CA sets every extension itself,
/// so a CSR asking for cA=true or extra URI SANs gets neither.
/// </summary>
internal static class CsrReader
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string P521Oid = "1.3.132.0.35";

    /// <summary>Returns the public key of a DER CSR whose signature verifies.</summary>
    /// <exception cref="InvalidCsrException">The CSR is malformed, its signature does not verify, or its key is unacceptable.</exception>
    public static PublicKey ReadPublicKey(ReadOnlySpan<byte> der)
    {
        CertificateRequest request;
        try
        {
            // Default options verify the signature; extensions are not loaded (UnsafeLoadCertificateExtensions unset).
            request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out var read);
            if (read != der.Length)
            {
                throw new InvalidCsrException($"CSR has {der.Length - read} trailing bytes");
            }
        }
        catch (CryptographicException ex)
        {
            // .NET reports a bad signature and bad encoding alike; tell them apart so the caller learns which.
            throw new InvalidCsrException(IsBadSignature(der) ? "CSR signature does not verify" : "CSR is not a valid PKCS#10 request", ex);
        }

        CheckKey(request.PublicKey);
        return request.PublicKey;
    }

    private static bool IsBadSignature(ReadOnlySpan<byte> der)
    {
        try
        {
            CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, out _, CertificateRequestLoadOptions.SkipSignatureValidation);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static void CheckKey(PublicKey key)
    {
        if (key.Oid.Value == EcPublicKeyOid)
        {
            // Read the curve from the algorithm parameters rather than importing the key again: signature
            // verification already imported (and validated) the point, and an import costs more than a signature.
            string? curve;
            try
            {
                curve = key.EncodedParameters?.RawData is { Length: > 0 } parameters ? AsnDecoder.ReadObjectIdentifier(parameters, AsnEncodingRules.DER, out _) : null;
            }
            catch (AsnContentException)
            {
                curve = null;
            }

            if (curve is not (P256Oid or P384Oid or P521Oid))
            {
                throw new InvalidCsrException($"CSR key is on EC curve {curve ?? "(explicit parameters)"}; use P-256, P-384 or P-521");
            }

            return;
        }

        using var rsa = key.GetRSAPublicKey();
        if (rsa is null)
        {
            throw new InvalidCsrException($"CSR key algorithm {key.Oid.Value} is not supported; use ECDSA or RSA");
        }

        if (rsa.KeySize < 2048)
        {
            throw new InvalidCsrException($"CSR key is RSA with {rsa.KeySize} bits; use at least 2048");
        }
    }
}
