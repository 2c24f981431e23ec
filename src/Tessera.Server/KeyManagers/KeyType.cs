namespace Tessera.Server.KeyManagers;

/// <summary>The kinds of private key a key manager can generate.</summary>
internal enum KeyType
{
    /// <summary>ECDSA on NIST P-256 (ES256); the default, as in SPIRE.</summary>
    EcP256 = 0,

    /// <summary>ECDSA on NIST P-384 (ES384).</summary>
    EcP384,

    /// <summary>RSA with a 2048-bit modulus (RS256).</summary>
    Rsa2048,
}
