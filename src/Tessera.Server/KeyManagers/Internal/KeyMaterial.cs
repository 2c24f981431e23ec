using System.Security.Cryptography;

namespace Tessera.Server.KeyManagers.Internal;

/// <summary>Creates keys of a <see cref="KeyType"/> and moves them to and from PKCS#8 DER.</summary>
internal static class KeyMaterial
{
    /// <summary>Creates a new private key of <paramref name="type"/>.</summary>
    public static AsymmetricAlgorithm Create(KeyType type) => type switch
    {
        KeyType.EcP256 => ECDsa.Create(ECCurve.NamedCurves.nistP256),
        KeyType.EcP384 => ECDsa.Create(ECCurve.NamedCurves.nistP384),
        KeyType.Rsa2048 => RSA.Create(2048),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown key type"),
    };

    /// <summary>Imports PKCS#8 DER, telling the key type from the key itself.</summary>
    /// <exception cref="CryptographicException">The bytes are not a PKCS#8 EC (P-256/P-384) or RSA-2048 key.</exception>
    public static ManagedKey Import(string id, ReadOnlySpan<byte> pkcs8)
    {
        var ec = ECDsa.Create();
        try
        {
            ec.ImportPkcs8PrivateKey(pkcs8, out var read);
            RequireWhole(read, pkcs8.Length);
            var type = ec.KeySize switch
            {
                256 => KeyType.EcP256,
                384 => KeyType.EcP384,
                _ => throw new CryptographicException($"unsupported EC key size {ec.KeySize}"),
            };
            return new ManagedKey(id, type, ec);
        }
        catch (CryptographicException)
        {
            ec.Dispose();
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportPkcs8PrivateKey(pkcs8, out var read);
            RequireWhole(read, pkcs8.Length);
            if (rsa.KeySize != 2048)
            {
                throw new CryptographicException($"unsupported RSA key size {rsa.KeySize}");
            }

            return new ManagedKey(id, KeyType.Rsa2048, rsa);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    private static void RequireWhole(int read, int length)
    {
        if (read != length)
        {
            throw new CryptographicException($"{length - read} trailing bytes after the PKCS#8 structure");
        }
    }
}
