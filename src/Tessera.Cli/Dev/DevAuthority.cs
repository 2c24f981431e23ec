using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Hosting.Files;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Dev;

/// <summary>The development CA kept as ca.pem + ca.key (0600) in a directory, created on first use.</summary>
internal static class DevAuthority
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>Loads the CA in <paramref name="directory"/>, or creates one; null (after printing why) when the existing one is unusable.</summary>
    public static X509Certificate2? LoadOrCreate(string directory, TrustDomain trustDomain, DateTimeOffset now, out bool created)
    {
        var certPath = Path.Combine(directory, "ca.pem");
        var keyPath = Path.Combine(directory, "ca.key");
        created = false;
        if (File.Exists(certPath) && File.Exists(keyPath))
        {
            var existing = X509Certificate2.CreateFromPemFile(certPath, keyPath);
            // X509SvidIssuer puts the trust domain name in the CA's CN.
            var name = existing.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            if (name != trustDomain.Name)
            {
                Console.Error.WriteLine($"{certPath} is the CA of trust domain '{name}', not '{trustDomain}'; use another --out directory");
                existing.Dispose();
                return null;
            }

            if (existing.NotAfter.ToUniversalTime() > now.UtcDateTime.AddHours(1))
            {
                return existing;
            }

            existing.Dispose();
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var ca = X509SvidIssuer.CreateAuthority(trustDomain, key, now.AddMinutes(-1), now + Lifetime, organization: "Tessera development CA");
        AtomicFile.Write(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n", AtomicFile.PrivateMode);
        AtomicFile.Write(certPath, ca.ExportCertificatePem() + "\n", AtomicFile.PublicMode);
        created = true;
        return ca;
    }
}
