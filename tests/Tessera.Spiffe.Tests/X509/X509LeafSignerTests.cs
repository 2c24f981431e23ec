using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;
using Tessera.Spiffe.X509.Internal;

namespace Tessera.Spiffe.Tests.X509;

/// <summary>
/// The leaf writer builds DER itself, so each test reads the result back with parsers nobody here wrote (the base
/// class library's and openssl's) and compares every extension with what the base class library encodes.
/// </summary>
public sealed class X509LeafSignerTests : IDisposable
{
    private static readonly TrustDomain ExampleOrg = TrustDomain.Parse("example.org");
    private static readonly SpiffeId Web = SpiffeId.Parse("spiffe://example.org/web");
    private readonly DateTimeOffset _now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    private readonly ECDsa _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ECDsa _leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly X509Certificate2 _ca;

    public X509LeafSignerTests() => _ca = X509SvidIssuer.CreateAuthority(ExampleOrg, _caKey, _now.AddMinutes(-1), _now.AddDays(1));

    public void Dispose()
    {
        _ca.Dispose();
        _caKey.Dispose();
        _leafKey.Dispose();
    }

    [Fact]
    public void Issue_Leaf_FactsMatchTheParsedCertificate()
    {
        var signer = Signer();

        var issued = signer.Issue(Web, PublicKeyOf(_leafKey), _now.AddMilliseconds(-1500), _now.AddHours(1).AddMilliseconds(700));

        using var leaf = X509CertificateLoader.LoadCertificate(issued.Der.Span);
        Assert.Equal(leaf.SerialNumber, issued.SerialNumber);
        Assert.Equal(32, issued.SerialNumber.Length);
        Assert.Equal(_now.AddSeconds(-2), issued.NotBefore); // whole seconds, as X.509 validity holds them
        Assert.Equal(_now.AddHours(1), issued.NotAfter);
        Assert.Equal(issued.NotBefore.UtcDateTime, leaf.NotBefore.ToUniversalTime());
        Assert.Equal(issued.NotAfter.UtcDateTime, leaf.NotAfter.ToUniversalTime());
        Assert.Equal(3, leaf.Version);
        Assert.Equal("O=example.org", leaf.Subject);
        Assert.Equal(_ca.SubjectName.RawData, leaf.IssuerName.RawData);
        Assert.Equal("1.2.840.10045.4.3.2", leaf.SignatureAlgorithm.Value); // ecdsa-with-SHA256
        Assert.Equal(PublicKeyOf(_leafKey).ExportSubjectPublicKeyInfo(), leaf.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.True(X509SvidVerifier.Verify([leaf], new X509Bundle(ExampleOrg, [_ca]), _now).IsValid);
    }

    [Fact]
    public void Issue_Leaf_EveryExtensionAsTheBaseClassLibraryEncodesIt()
    {
        var key = PublicKeyOf(_leafKey);

        using var leaf = X509CertificateLoader.LoadCertificate(Signer().Issue(Web, key, _now, _now.AddHours(1), ["web.internal", "web"]).Der.Span);

        var caSki = _ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        X509Extension[] expected =
        [
            new X509BasicConstraintsExtension(false, false, 0, true),
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true),
            new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false),
            SubjectAlternativeNames.Create("spiffe://example.org/web", ["web.internal", "web"], critical: false),
            new X509SubjectKeyIdentifierExtension(key, false),
            X509AuthorityKeyIdentifierExtension.CreateFromSubjectKeyIdentifier(caSki),
        ];
        Assert.Equal(expected.Select(e => (e.Oid!.Value, e.Critical, Convert.ToHexString(e.RawData))), leaf.Extensions.Select(e => (e.Oid!.Value, e.Critical, Convert.ToHexString(e.RawData))));
        Assert.Equal(["spiffe://example.org/web"], CertificateExtensions.Read(leaf).UriSans);
    }

    [Fact]
    public void AuthorityKeyIdentifier_IsTheIssuersSubjectKeyIdentifier()
    {
        Assert.Equal(_ca.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifier, Signer().AuthorityKeyIdentifier);
    }

    [Fact]
    public async Task Issue_EcAndRsaSubjectKeys_OpensslVerifiesStrictly()
    {
        using var dir = new TempDirectory();
        using var rsa = RSA.Create(2048);
        var signer = Signer();
        await File.WriteAllTextAsync(dir.File("root.pem"), _ca.ExportCertificatePem());
        foreach (var (name, key) in new[] { ("ec", PublicKeyOf(_leafKey)), ("rsa", new PublicKey(rsa)) })
        {
            using var leaf = X509CertificateLoader.LoadCertificate(signer.Issue(Web, key, _now.AddMinutes(-1), _now.AddHours(1)).Der.Span);
            await File.WriteAllTextAsync(dir.File($"{name}.pem"), leaf.ExportCertificatePem());

            var openssl = await ExternalTool.RunAsync("openssl", ["verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", dir.File("root.pem"), dir.File($"{name}.pem")]);

            Assert.True(openssl.ExitCode == 0, $"{name}: {openssl.StdOut}{openssl.StdErr}");
        }
    }

    [Fact]
    public void Issue_ValidityBeyond2049_WrittenAsGeneralizedTime()
    {
        var start = new DateTimeOffset(2049, 12, 31, 23, 0, 0, TimeSpan.Zero);
        using var ca = X509SvidIssuer.CreateAuthority(ExampleOrg, _caKey, start.AddDays(-1), start.AddYears(5));
        var signer = new X509LeafSigner(ca, X509SignatureGenerator.CreateForECDsa(_caKey));

        var issued = signer.Issue(Web, PublicKeyOf(_leafKey), start, start.AddHours(2));

        using var leaf = X509CertificateLoader.LoadCertificate(issued.Der.Span);
        Assert.Equal(new DateTime(2050, 1, 1, 1, 0, 0, DateTimeKind.Utc), leaf.NotAfter.ToUniversalTime());
        Assert.Equal(start.UtcDateTime, leaf.NotBefore.ToUniversalTime());
    }

    [Fact]
    public void Issue_BeyondTheIssuersValidity_Clamped()
    {
        var issued = Signer().Issue(Web, PublicKeyOf(_leafKey), _now.AddDays(-3), _now.AddDays(30));

        Assert.Equal(new DateTimeOffset(_ca.NotBefore.ToUniversalTime(), TimeSpan.Zero), issued.NotBefore);
        Assert.Equal(new DateTimeOffset(_ca.NotAfter.ToUniversalTime(), TimeSpan.Zero), issued.NotAfter);
    }

    [Fact]
    public void Issue_WindowEmptyAfterClamping_ThrowsNamingTheIssuersValidity()
    {
        var ex = Assert.Throws<ArgumentException>(() => Signer().Issue(Web, PublicKeyOf(_leafKey), _now.AddDays(2), _now.AddDays(3)));

        Assert.StartsWith($"validity window is empty after clamping to the issuer's ({_ca.NotBefore.ToUniversalTime():O} - {_ca.NotAfter.ToUniversalTime():O})", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Issue_IdWithoutPath_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Signer().Issue(ExampleOrg.Id, PublicKeyOf(_leafKey), _now, _now.AddHours(1)));

        Assert.StartsWith("'spiffe://example.org' has no path; a leaf X509-SVID's SPIFFE ID must have a non-root path (X509-SVID §3.1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Issue_ManyThreadsOneSigner_EveryLeafVerifiesWithItsOwnSerial()
    {
        var signer = Signer();
        var bundle = new X509Bundle(ExampleOrg, [_ca]);
        var serials = new ConcurrentBag<string>();
        var key = PublicKeyOf(_leafKey);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                var id = SpiffeId.Parse($"spiffe://example.org/w{t}/{i}");
                var issued = signer.Issue(id, key, _now, _now.AddHours(1));
                using var leaf = X509CertificateLoader.LoadCertificate(issued.Der.Span);
                var result = X509SvidVerifier.Verify([leaf], bundle, _now);
                Assert.True(result.IsValid, result.Message);
                Assert.Equal(id, result.Id);
                serials.Add(issued.SerialNumber);
            }
        })));

        Assert.Equal(400, serials.Distinct().Count());
    }

    private X509LeafSigner Signer() => new(_ca, X509SignatureGenerator.CreateForECDsa(_caKey));

    private static PublicKey PublicKeyOf(ECDsa key) => new(key);
}
