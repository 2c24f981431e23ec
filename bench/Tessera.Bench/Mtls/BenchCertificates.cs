using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Bench.Mtls;

/// <summary>
/// The certificates of the <c>mtls</c> scenario, all ECDSA P-256: a SPIFFE root and intermediate with server and
/// client SVIDs under it, and a fixed self-signed server certificate for the plain-TLS baseline.
/// </summary>
internal sealed class BenchCertificates
{
    public static readonly SpiffeId ServerId = SpiffeId.Parse("spiffe://bench.example/server");
    public static readonly SpiffeId ClientId = SpiffeId.Parse("spiffe://bench.example/client");

    private BenchCertificates(X509Bundle bundle, X509Svid server, X509Svid client, X509Certificate2 fixedServer)
    {
        Bundle = bundle;
        ServerSvid = server;
        ClientSvid = client;
        FixedServerCertificate = fixedServer;
    }

    public X509Bundle Bundle { get; }

    public X509Svid ServerSvid { get; }

    public X509Svid ClientSvid { get; }

    public X509Certificate2 FixedServerCertificate { get; }

    public static BenchCertificates Create()
    {
        var trustDomain = ServerId.TrustDomain;
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = X509SvidIssuer.CreateAuthority(trustDomain, rootKey, now.AddMinutes(-5), now.AddDays(1));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediatePublic = X509SvidIssuer.IssueIntermediate(root, trustDomain, new PublicKey(intermediateKey), now.AddMinutes(-5), now.AddDays(1));
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);

        using var fixedKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=bench fixed server", fixedKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var fixedCertificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        // Re-imported from PKCS#12 so the key is usable by SslStream on every platform.
        var fixedServer = X509CertificateLoader.LoadPkcs12(fixedCertificate.Export(X509ContentType.Pkcs12), null);
        return new BenchCertificates(
            new X509Bundle(trustDomain, [X509CertificateLoader.LoadCertificate(root.RawData)]),
            Leaf(intermediate, ServerId, now),
            Leaf(intermediate, ClientId, now),
            fixedServer);
    }

    private static X509Svid Leaf(X509Certificate2 issuer, SpiffeId id, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var leaf = X509SvidIssuer.IssueLeaf(issuer, id, new PublicKey(key), now.AddMinutes(-5), now.AddDays(1));
        return X509Svid.ParseRaw([.. leaf.RawData, .. issuer.RawData], key.ExportPkcs8PrivateKey());
    }
}
