using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Tessera.Agent.NodeAttestation.X509Pop;

/// <summary>
/// x509pop: sends the node's certificate chain (DER, leaf first, concatenated) and proves possession of the
/// leaf's key by signing <c>"tessera-x509pop-v1" || 0x00 || nonce</c> (node.proto, X509PopChallenge): ECDSA as a
/// DER (RFC 3279) signature over SHA-256, RSA as PKCS#1 v1.5 over SHA-256. The domain-separation prefix keeps the
/// node key from being used to sign anything else through this exchange.
/// </summary>
internal sealed class X509PopAttestorClient : INodeAttestorClient, IDisposable
{
    private static readonly byte[] Context = Encoding.ASCII.GetBytes("tessera-x509pop-v1\0");
    private readonly AsymmetricAlgorithm _key;

    private X509PopAttestorClient(byte[] payload, AsymmetricAlgorithm key)
    {
        Payload = payload;
        _key = key;
    }

    public string Type => "x509pop";

    public byte[] Payload { get; }

    /// <summary>Reads the node certificate chain (PEM, leaf first) and its private key (PEM, PKCS#8 or traditional).</summary>
    /// <exception cref="FormatException">The files do not hold a certificate and a matching ECDSA or RSA key.</exception>
    public static X509PopAttestorClient Load(string certFile, string keyFile)
    {
        var chain = new X509Certificate2Collection();
        try
        {
            chain.ImportFromPemFile(certFile);
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"x509pop_cert_file '{certFile}': {ex.Message}", ex);
        }

        if (chain.Count == 0)
        {
            throw new FormatException($"x509pop_cert_file '{certFile}' holds no certificate");
        }

        var keyPem = File.ReadAllText(keyFile);
        AsymmetricAlgorithm key = chain[0].GetKeyAlgorithm() switch
        {
            "1.2.840.10045.2.1" => ECDsa.Create(),
            "1.2.840.113549.1.1.1" => RSA.Create(),
            var oid => throw new FormatException($"x509pop_cert_file '{certFile}': unsupported key algorithm {oid}; use ECDSA or RSA"),
        };
        try
        {
            key.ImportFromPem(keyPem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new FormatException($"x509pop_key_file '{keyFile}' is not a PEM private key of the certificate's type", ex);
        }

        if (!KeyMatches(chain[0], key))
        {
            key.Dispose();
            throw new FormatException($"x509pop_key_file '{keyFile}' does not match the certificate in '{certFile}'");
        }

        return new X509PopAttestorClient([.. chain.SelectMany(c => c.RawData)], key);
    }

    public byte[]? AnswerChallenge(ReadOnlySpan<byte> nonce)
    {
        var message = new byte[Context.Length + nonce.Length];
        Context.CopyTo(message, 0);
        nonce.CopyTo(message.AsSpan(Context.Length));
        return _key switch
        {
            ECDsa ec => ec.SignData(message, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
            RSA rsa => rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            _ => null,
        };
    }

    public void Dispose() => _key.Dispose();

    private static bool KeyMatches(X509Certificate2 certificate, AsymmetricAlgorithm key)
    {
        using var publicKey = certificate.GetECDsaPublicKey() as AsymmetricAlgorithm ?? certificate.GetRSAPublicKey();
        return publicKey is not null && publicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo());
    }
}
