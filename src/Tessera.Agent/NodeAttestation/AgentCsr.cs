using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Agent.NodeAttestation;

/// <summary>PKCS#10 requests for a fresh key: the server uses only the public key and sets every name itself.</summary>
internal static class AgentCsr
{
    /// <summary>A new ECDSA P-256 key (the caller owns it).</summary>
    public static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public static byte[] Create(ECDsa key) =>
        new CertificateRequest(new X500DistinguishedName(string.Empty), key, HashAlgorithmName.SHA256).CreateSigningRequest();
}
