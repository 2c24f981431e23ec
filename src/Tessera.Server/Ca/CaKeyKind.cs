namespace Tessera.Server.Ca;

/// <summary>The two kinds of CA key: X.509 CA keys and JWT signing keys.</summary>
internal enum CaKeyKind
{
    /// <summary>An X.509 CA key (signs X509-SVIDs).</summary>
    X509,

    /// <summary>A JWT signing key (signs JWT-SVIDs).</summary>
    Jwt,
}
