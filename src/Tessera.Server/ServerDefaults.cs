namespace Tessera.Server;

/// <summary>Defaults of the server, in line with SPIRE's; every one is documented in the README and configurable.</summary>
internal static class ServerDefaults
{
    /// <summary>Lifetime of a CA (X.509 signing key) before it is rotated out.</summary>
    public static readonly TimeSpan CaTtl = TimeSpan.FromHours(24);

    /// <summary>Lifetime of an X509-SVID.</summary>
    public static readonly TimeSpan X509SvidTtl = TimeSpan.FromHours(1);

    /// <summary>Lifetime of a JWT-SVID.</summary>
    public static readonly TimeSpan JwtSvidTtl = TimeSpan.FromMinutes(5);
}
