using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;
using Xunit.Abstractions;

namespace Tessera.Spiffe.Tests.X509;

/// <summary>
/// Interop with a client nobody here wrote: certificates made by the openssl CLI are verified or rejected
/// as the X509-SVID specification says, and SVIDs minted by TestCa pass <c>openssl verify</c>.
/// </summary>
public sealed class X509OpenSslInteropTests(OpenSslPki pki, ITestOutputHelper output) : IClassFixture<OpenSslPki>
{
    private const string LeafExtensions = """
        basicConstraints = critical,CA:FALSE
        keyUsage = critical,digitalSignature
        extendedKeyUsage = serverAuth,clientAuth
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        """;

    // Whole seconds, so that the messages below can be written out exactly.
    private static readonly DateTimeOffset Now = TruncateToSecond(DateTimeOffset.UtcNow);

    [Fact]
    public async Task Verify_OpenSslRootIntermediateLeaf_IsValid()
    {
        output.WriteLine(pki.Version);
        var (chainPath, keyPath) = await pki.IssueLeafAsync(LeafExtensions + "\nsubjectAltName = URI:spiffe://example.org/workload");

        using var svid = X509Svid.Load(chainPath, keyPath);
        var result = X509SvidVerifier.Verify(svid.Chain, pki.Bundle, Now);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/workload"), result.Id);
        Assert.Equal(3, result.VerifiedChain.Count);
    }

    [Fact]
    public async Task Verify_OpenSslLeafWithTwoUriSans_ReturnsMultipleUriSans()
    {
        var chain = await Issue(LeafExtensions + "\nsubjectAltName = URI:spiffe://example.org/a, DNS:a.example.org, URI:spiffe://example.org/b");

        var result = X509SvidVerifier.Verify(chain, pki.Bundle, Now);

        Assert.Equal(X509SvidError.MultipleUriSans, result.Error);
        Assert.Equal("certificate contains 2 URI SANs; an X509-SVID must contain exactly one (X509-SVID §2, §5.2)", result.Message);
    }

    [Fact]
    public async Task Verify_OpenSslCaLeaf_ReturnsLeafIsCa()
    {
        var chain = await Issue(LeafExtensions.Replace("CA:FALSE", "CA:TRUE", StringComparison.Ordinal) + "\nsubjectAltName = URI:spiffe://example.org/workload");

        var result = X509SvidVerifier.Verify(chain, pki.Bundle, Now);

        Assert.Equal(X509SvidError.LeafIsCa, result.Error);
        Assert.Equal("leaf certificate has basic constraints cA=true; a leaf X509-SVID must have cA=false (X509-SVID §4.1, §5.2)", result.Message);
    }

    [Fact]
    public async Task Verify_OpenSslLeafWithKeyCertSign_ReturnsLeafHasKeyCertSign()
    {
        var chain = await Issue(LeafExtensions.Replace("critical,digitalSignature", "critical,digitalSignature,keyCertSign", StringComparison.Ordinal)
            + "\nsubjectAltName = URI:spiffe://example.org/workload");

        var result = X509SvidVerifier.Verify(chain, pki.Bundle, Now);

        Assert.Equal(X509SvidError.LeafHasKeyCertSign, result.Error);
        Assert.Equal("leaf certificate's key usage sets keyCertSign, which a leaf X509-SVID must not set (X509-SVID §4.3, §5.2)", result.Message);
    }

    [Fact]
    public async Task Verify_OpenSslLeafOfOtherTrustDomain_ReturnsBundleNotFoundOrUnknownAuthority()
    {
        var chain = await Issue(LeafExtensions + "\nsubjectAltName = URI:spiffe://other.org/workload");
        var otherBundle = X509Bundle.Load(TrustDomain.Parse("other.org"), pki.OtherRootPem);

        var noBundle = X509SvidVerifier.Verify(chain, pki.Bundle, Now);
        var wrongBundle = X509SvidVerifier.Verify(chain, new BundleSet(new SpiffeBundle(pki.Bundle.TrustDomain, pki.Bundle), new SpiffeBundle(otherBundle.TrustDomain, otherBundle)), Now);

        Assert.Equal(X509SvidError.BundleNotFound, noBundle.Error);
        Assert.Equal("no X.509 bundle found for trust domain 'other.org'", noBundle.Message);
        Assert.Equal(X509SvidError.UnknownAuthority, wrongBundle.Error);
        Assert.Equal("certificate chain does not lead to an authority in the X.509 bundle of trust domain 'other.org'", wrongBundle.Message);
    }

    [Fact]
    public async Task Verify_OpenSslExpiredLeaf_ReturnsExpired()
    {
        var chain = await Issue(LeafExtensions + "\nsubjectAltName = URI:spiffe://example.org/workload",
            new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2020, 1, 2, 0, 0, 0, TimeSpan.Zero));

        var result = X509SvidVerifier.Verify(chain, pki.Bundle, Now);

        Assert.Equal(X509SvidError.Expired, result.Error);
        Assert.Equal($"certificate 1 of the path expired at 2020-01-02T00:00:00.0000000+00:00; verification time is {Now:O}", result.Message);
    }

    [Fact]
    public async Task Verify_OpenSslNotYetValidLeaf_ReturnsNotYetValid()
    {
        var notBefore = Now.AddDays(2);
        var chain = await Issue(LeafExtensions + "\nsubjectAltName = URI:spiffe://example.org/workload", notBefore, notBefore.AddDays(1));

        var result = X509SvidVerifier.Verify(chain, pki.Bundle, Now);

        Assert.Equal(X509SvidError.NotYetValid, result.Error);
        Assert.Equal($"certificate 1 of the path is not valid before {notBefore:O}; verification time is {Now:O}", result.Message);
    }

    [Fact]
    public async Task Verify_OpenSslChainToUnknownRoot_ReturnsUnknownAuthority()
    {
        var chain = await Issue(LeafExtensions + "\nsubjectAltName = URI:spiffe://example.org/workload");
        var otherRoot = X509Bundle.Load(TrustDomain.Parse("example.org"), pki.OtherRootPem);

        var result = X509SvidVerifier.Verify(chain, otherRoot, Now);

        Assert.Equal(X509SvidError.UnknownAuthority, result.Error);
        Assert.Equal("certificate chain does not lead to an authority in the X.509 bundle of trust domain 'example.org'", result.Message);
    }

    [Fact]
    public async Task OpenSslVerify_TestCaSvid_Succeeds()
    {
        using var root = TestCa.CreateRoot();
        using var ca1 = root.CreateIntermediate();
        using var ca2 = ca1.CreateIntermediate();
        using var svid = ca2.IssueSvid();
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("root.pem"), root.Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(dir.File("intermediates.pem"), string.Concat(svid.Chain.Skip(1).Select(c => c.ExportCertificatePem() + "\n")));
        await File.WriteAllTextAsync(dir.File("leaf.pem"), svid.Leaf.ExportCertificatePem());

        var result = await ExternalTool.RunAsync("openssl",
            ["verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", "root.pem", "-untrusted", "intermediates.pem", "leaf.pem"], workingDirectory: dir.Path);

        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Equal("leaf.pem: OK", result.StdOut.Trim());
    }

    [Fact]
    public async Task OpenSslVerify_TestCaSvidAgainstOtherRoot_Fails()
    {
        using var root = TestCa.CreateRoot();
        using var otherRoot = TestCa.CreateRoot();
        using var svid = root.IssueSvid();
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("root.pem"), otherRoot.Certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(dir.File("leaf.pem"), svid.Leaf.ExportCertificatePem());

        var result = await ExternalTool.RunAsync("openssl", ["verify", "-CAfile", "root.pem", "leaf.pem"], workingDirectory: dir.Path);

        Assert.NotEqual(0, result.ExitCode);
    }

    private async Task<List<X509Certificate2>> Issue(string extensions, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var (chainPath, _) = await pki.IssueLeafAsync(extensions, notBefore, notAfter);
        return CertificateDecoder.DecodeCertificates(await File.ReadAllBytesAsync(chainPath), "chain");
    }

    private static DateTimeOffset TruncateToSecond(DateTimeOffset time) =>
        new(time.Ticks - (time.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
