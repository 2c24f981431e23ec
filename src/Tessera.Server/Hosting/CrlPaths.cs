namespace Tessera.Server.Hosting;

/// <summary>Where the health listener serves the X.509 CA's CRL.</summary>
internal static class CrlPaths
{
    public const string Der = "/crl";
    public const string Pem = "/crl.pem";
}
