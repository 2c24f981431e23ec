using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tessera.Server.Attestation.X509Pop;

/// <summary>
/// The x509pop proof of possession: a signature over <c>"tessera-x509pop-v1" || 0x00 || nonce</c> with the node
/// certificate's key (ECDSA DER/SHA-256 or RSA PKCS#1 v1.5 SHA-256). The context string keeps a node key from
/// being tricked into signing something that means anything else.
/// </summary>
internal static class X509PopProof
{
    public const int NonceLength = 32;
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("tessera-x509pop-v1\0");

    /// <summary>The bytes an agent signs for <paramref name="nonce"/>.</summary>
    public static byte[] SignedData(ReadOnlySpan<byte> nonce) => [.. Context, .. nonce];

    /// <summary>Whether <paramref name="signature"/> is the leaf key's signature over the challenge data.</summary>
    public static bool Verify(X509Certificate2 leaf, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var data = SignedData(nonce);
        try
        {
            using var ecdsa = leaf.GetECDsaPublicKey();
            if (ecdsa is not null)
            {
                return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
            }

            using var rsa = leaf.GetRSAPublicKey();
            return rsa is not null && rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            // A malformed signature is a signature that does not verify.
            return false;
        }
    }
}
