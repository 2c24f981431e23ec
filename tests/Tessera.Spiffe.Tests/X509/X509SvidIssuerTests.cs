using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;
using Tessera.Spiffe.X509.Internal;

namespace Tessera.Spiffe.Tests.X509;

public sealed class X509SvidIssuerTests : IDisposable
{
    private static readonly TrustDomain ExampleOrg = TrustDomain.Parse("example.org");
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose()
    {
        _caKey.Dispose();
        _leafKey.Dispose();
    }

    [Fact]
    public void IssueLeaf_UnderAuthority_PassesVerifierWithExactIds()
    {
        using var ca = X509SvidIssuer.CreateAuthority(ExampleOrg, _caKey, _now.AddMinutes(-1), _now.AddDays(1));
        using var leaf = X509SvidIssuer.IssueLeaf(ca, SpiffeId.Parse("spiffe://example.org/web"), PublicKeyOf(_leafKey), _now.AddMinutes(-1), _now.AddHours(1), ["web.internal"]);

        var result = X509SvidVerifier.Verify([leaf], new X509Bundle(ExampleOrg, [ca]), _now);

        Assert.True(result.IsValid, result.Message);
        Assert.Equal("spiffe://example.org/web", result.Id.ToString());
        // The authority's SAN is the trust domain ID exactly — no trailing slash (SPIFFE-ID §2.2).
        Assert.Equal(["spiffe://example.org"], CertificateExtensions.Read(ca).UriSans);
        Assert.True(X509SvidValidator.ValidateSigningCertificate(ca, 2).IsValid);
    }

    [Fact]
    public async Task IssueLeaf_ThroughIntermediate_OpensslVerifiesStrictly()
    {
        using var dir = new TempDirectory();
        using var root = X509SvidIssuer.CreateAuthority(ExampleOrg, _caKey, _now.AddMinutes(-1), _now.AddDays(1));
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediatePublic = X509SvidIssuer.IssueIntermediate(root, ExampleOrg, PublicKeyOf(intermediateKey), _now.AddMinutes(-1), _now.AddHours(12));
        using var intermediate = intermediatePublic.CopyWithPrivateKey(intermediateKey);
        using var leaf = X509SvidIssuer.IssueLeaf(intermediate, SpiffeId.Parse("spiffe://example.org/web"), PublicKeyOf(_leafKey), _now.AddMinutes(-1), _now.AddHours(1));
        await File.WriteAllTextAsync(dir.File("root.pem"), root.ExportCertificatePem());
        await File.WriteAllTextAsync(dir.File("intermediate.pem"), intermediate.ExportCertificatePem());
        await File.WriteAllTextAsync(dir.File("leaf.pem"), leaf.ExportCertificatePem());

        var openssl = await ExternalTool.RunAsync("openssl", ["verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", dir.File("root.pem"), "-untrusted", dir.File("intermediate.pem"), dir.File("leaf.pem")]);
        var tessera = X509SvidVerifier.Verify([leaf, intermediatePublic], new X509Bundle(ExampleOrg, [root]), _now);

        Assert.Equal(0, openssl.ExitCode);
        Assert.True(tessera.IsValid, tessera.Message);
        Assert.Equal(3, tessera.VerifiedChain.Count);
    }

    [Fact]
    public void IssueLeaf_IdWithoutPath_Throws()
    {
        using var ca = X509SvidIssuer.CreateAuthority(ExampleOrg, _caKey, _now.AddMinutes(-1), _now.AddDays(1));

        var ex = Assert.Throws<ArgumentException>(() => X509SvidIssuer.IssueLeaf(ca, ExampleOrg.Id, PublicKeyOf(_leafKey), _now, _now.AddHours(1)));

        Assert.StartsWith("'spiffe://example.org' has no path; a leaf X509-SVID's SPIFFE ID must have a non-root path (X509-SVID §3.1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void IssueLeaf_LongerThanAuthority_ClampedToAuthorityExpiry()
    {
        using var ca = X509SvidIssuer.CreateAuthority(ExampleOrg, _caKey, _now.AddMinutes(-1), _now.AddHours(2));

        using var leaf = X509SvidIssuer.IssueLeaf(ca, SpiffeId.Parse("spiffe://example.org/web"), PublicKeyOf(_leafKey), _now, _now.AddDays(30));

        Assert.Equal(ca.NotAfter, leaf.NotAfter);
    }

    [Fact]
    public void IssueLeaf_IssuerWithoutKey_Throws()
    {
        using var ca = X509SvidIssuer.CreateAuthority(ExampleOrg, _caKey, _now.AddMinutes(-1), _now.AddDays(1));
        using var publicOnly = X509CertificateLoader.LoadCertificate(ca.RawData);

        var ex = Assert.Throws<ArgumentException>(() => X509SvidIssuer.IssueLeaf(publicOnly, SpiffeId.Parse("spiffe://example.org/web"), PublicKeyOf(_leafKey), _now, _now.AddHours(1)));

        Assert.StartsWith("the issuer certificate carries no private key", ex.Message, StringComparison.Ordinal);
    }

    private static PublicKey PublicKeyOf(ECDsa key) => new CertificateRequest("CN=unused", key, HashAlgorithmName.SHA256).PublicKey;
}
