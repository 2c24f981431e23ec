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
        using (var ec = key.GetECDsaPublicKey())
        {
            if (ec is not null)
            {
                if (ec.KeySize is not (256 or 384 or 521))
                {
                    throw new InvalidCsrException($"CSR key is EC with {ec.KeySize} bits; use P-256, P-384 or P-521");
                }

                return;
            }
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
