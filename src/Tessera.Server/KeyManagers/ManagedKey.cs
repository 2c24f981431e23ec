using System.Security.Cryptography;

namespace Tessera.Server.KeyManagers;

/// <summary>
/// A private key held by a key manager: its ID, type and a fresh <see cref="ECDsa"/> or <see cref="RSA"/>
/// handle that the caller owns (and disposes) and can sign with.
/// </summary>
internal sealed class ManagedKey : IDisposable
{
    /// <summary>Wraps <paramref name="key"/>; the new instance owns it.</summary>
    public ManagedKey(string id, KeyType type, AsymmetricAlgorithm key)
    {
        Id = id;
        Type = type;
        Key = key;
    }

    /// <summary>Gets the key's ID in its key manager.</summary>
    public string Id { get; }

    /// <summary>Gets the key type.</summary>
    public KeyType Type { get; }

    /// <summary>Gets the private key (an <see cref="ECDsa"/> or <see cref="RSA"/>).</summary>
    public AsymmetricAlgorithm Key { get; }

    /// <summary>Gets the key as ECDsa, or null when it is an RSA key.</summary>
    public ECDsa? EcKey => Key as ECDsa;

    /// <summary>Gets the key as RSA, or null when it is an ECDSA key.</summary>
    public RSA? RsaKey => Key as RSA;

    /// <inheritdoc/>
    public void Dispose() => Key.Dispose();
}
