using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Tests.Ca;

/// <summary>An operator's CA on disk as upstream authority; checked with Tessera's verifier and with openssl.</summary>
public sealed class UpstreamAuthorityTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task SignX509Svid_UpstreamRoot_ChainsToUpstreamRootForVerifierAndOpenssl()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = CreateCa("CN=Operator Root", rootKey, issuer: null);
        var clock = ManualClock.AtRealNow();
        using var ca = await CaTests.CreateAsync(clock, Upstream(root.ExportCertificatePem(), rootKey));

        var chain = ca.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey());

        Assert.Equal(2, chain.Length); // leaf, Tessera's intermediate
        Assert.Equal(root.RawData, Assert.Single(ca.X509Bundle.Authorities).RawData);
        Assert.Equal(root.Subject, chain[1].Issuer);
        var result = X509SvidVerifier.Verify(chain, ca.X509Bundle, clock.GetUtcNow());
        Assert.True(result.IsValid, result.ToString());
        await AssertOpensslVerifiesAsync(root, chain);
    }

    [Fact]
    public async Task SignX509Svid_UpstreamIntermediateWithRootInFile_PresentsWholeChain()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = CreateCa("CN=Operator Root", rootKey, issuer: null);
        using var upstreamKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var upstream = CreateCa("CN=Operator Issuing CA", upstreamKey, (root, rootKey));
        var clock = ManualClock.AtRealNow();
        using var ca = await CaTests.CreateAsync(clock, Upstream(upstream.ExportCertificatePem() + "\n" + root.ExportCertificatePem(), upstreamKey));

        var chain = ca.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey());

        Assert.Equal(3, chain.Length); // leaf, Tessera's intermediate, operator's issuing CA
        Assert.Equal(upstream.RawData, chain[2].RawData);
        Assert.Equal(root.RawData, Assert.Single(ca.X509Bundle.Authorities).RawData);
        var result = X509SvidVerifier.Verify(chain, ca.X509Bundle, clock.GetUtcNow());
        Assert.True(result.IsValid, result.ToString());
        await AssertOpensslVerifiesAsync(root, chain);

        // Every production caller disposes the chain it was given; the CA's own copies must not go with it.
        foreach (var certificate in chain)
        {
            certificate.Dispose();
        }

        var next = ca.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey());
        Assert.Equal(upstream.RawData, next[2].RawData);
        Assert.True(X509SvidVerifier.Verify(next, ca.X509Bundle, clock.GetUtcNow()).IsValid);
    }

    [Fact]
    public async Task SignX509Svid_SelfSignedRoot_OpensslVerifies()
    {
        var clock = ManualClock.AtRealNow();
        using var ca = await CaTests.CreateAsync(clock);
        var chain = ca.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey());
        await AssertOpensslVerifiesAsync(ca.X509Bundle.Authorities[0], chain);
    }

    [Fact]
    public async Task CreateAsync_UpstreamNotCa_RefusedNamingFile()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=not a ca", key, HashAlgorithmName.SHA256);
        using var leaf = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var options = Upstream(leaf.ExportCertificatePem(), key);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CaTests.CreateAsync(ManualClock.AtRealNow(), options));
        Assert.Equal($"upstream authority: the first certificate of '{options.UpstreamCertificatePath}' is not a CA (basic constraints cA=true missing)", ex.Message);
    }

    [Fact]
    public async Task CreateAsync_JournalFromSelfSignedThenUpstreamConfigured_ReplacesX509Keys()
    {
        var clock = ManualClock.AtRealNow();
        var keys = new Tessera.Server.KeyManagers.Memory.MemoryKeyManager();
        var journal = new Tessera.Server.Ca.Journal.Memory.MemoryCaJournal();
        using var selfSigned = await CaTests.CreateAsync(clock, keys: keys, journal: journal);
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var root = CreateCa("CN=Operator Root", rootKey, issuer: null);

        using var upstream = await CaTests.CreateAsync(clock, Upstream(root.ExportCertificatePem(), rootKey), keys, journal);

        Assert.NotEqual(selfSigned.X509Keys.Single().KeyId, upstream.X509Keys.Single().KeyId);
        Assert.Equal(selfSigned.JwtKeys.Single().KeyId, upstream.JwtKeys.Single().KeyId);
        Assert.Equal(root.RawData, Assert.Single(upstream.X509Bundle.Authorities).RawData);
        Assert.True(X509SvidVerifier.Verify(upstream.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey()), upstream.X509Bundle, clock.GetUtcNow()).IsValid);
    }

    public void Dispose() => _temp.Dispose();

    private Tessera.Server.Ca.CaOptions Upstream(string certificatePem, ECDsa key)
    {
        var certPath = _temp.File("upstream.crt.pem");
        var keyPath = _temp.File("upstream.key.pem");
        File.WriteAllText(certPath, certificatePem);
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        return CaTests.Options with { UpstreamCertificatePath = certPath, UpstreamKeyPath = keyPath };
    }

    private static X509Certificate2 CreateCa(string subject, ECDsa key, (X509Certificate2 Cert, ECDsa Key)? issuer)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = DateTimeOffset.UtcNow.AddYears(1);
        if (issuer is not { } i)
        {
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(i.Cert, true, false));
        // A positive serial with a non-zero first byte: minimal DER, as RFC 5280 §4.1.2.2 and `openssl verify -x509_strict` expect.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        using var issued = request.Create(i.Cert, notBefore, notAfter, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private async Task AssertOpensslVerifiesAsync(X509Certificate2 root, X509Certificate2[] chain)
    {
        var rootPath = _temp.File("root.pem");
        var untrustedPath = _temp.File("untrusted.pem");
        var leafPath = _temp.File("leaf.pem");
        await File.WriteAllTextAsync(rootPath, root.ExportCertificatePem());
        await File.WriteAllTextAsync(untrustedPath, string.Concat(chain.Skip(1).Select(c => c.ExportCertificatePem() + "\n")));
        await File.WriteAllTextAsync(leafPath, chain[0].ExportCertificatePem());
        List<string> args = ["verify", "-CAfile", rootPath];
        if (chain.Length > 1)
        {
            args.AddRange(["-untrusted", untrustedPath]);
        }

        args.Add(leafPath);
        var result = await ExternalTool.RunAsync("openssl", args);
        Assert.True(result.ExitCode == 0, result.StdErr + result.StdOut);
        Assert.Equal($"{leafPath}: OK", result.StdOut.Trim());
    }
}
