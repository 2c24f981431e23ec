using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Tessera.Server.Ca;
using Tessera.Server.Ca.Journal.Memory;
using Tessera.Server.KeyManagers.Memory;
using Tessera.Spiffe.Ids;

namespace Tessera.Bench;

/// <summary>
/// X509-SVID signing throughput of the server's CA — PKCS#10 CSR parsed, its signature verified, SVID built and
/// signed — next to the raw ECDSA P-256 sign + verify pair it cannot do without. The Ratio column answers
/// "does the CA reach at least half of the raw rate?" (a ratio of 2.0 or less).
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks : IDisposable
{
    private static readonly SpiffeId Workload = SpiffeId.Parse("spiffe://example.org/payments/api");
    private CertificateAuthority _ca = null!;
    private byte[] _csr = null!;
    private ECDsa _rawKey = null!;
    private byte[] _message = null!;
    private PublicKey _publicKey = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var options = new CaOptions { TrustDomain = TrustDomain.Parse("example.org") };
        _ca = await CertificateAuthority.CreateAsync(options, new MemoryKeyManager(), new MemoryCaJournal(), TimeProvider.System, CancellationToken.None);
        using var workloadKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _csr = new CertificateRequest("CN=workload", workloadKey, HashAlgorithmName.SHA256).CreateSigningRequest();

        // The raw pair signs a message the size of an SVID's to-be-signed part, so hashing costs match.
        _publicKey = new PublicKey(workloadKey);
        _rawKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var svid = _ca.SignX509SvidFromCsr(Workload, _csr)[0];
        _message = RandomNumberGenerator.GetBytes(svid.RawData.Length - 80);
    }

    [Benchmark(Baseline = true, Description = "raw ECDsa P-256 SignData + VerifyData (SHA-256)")]
    public bool RawEcdsaSignVerify() =>
        _rawKey.VerifyData(_message, _rawKey.SignData(_message, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256);

    [Benchmark(Description = "CA SignX509SvidFromCsr (CSR verified, SVID signed)")]
    public X509Certificate2 SignX509SvidFromCsr() => _ca.SignX509SvidFromCsr(Workload, _csr)[0];

    [Benchmark(Description = "  part: CSR parsed + signature verified")]
    public PublicKey ReadCsr() => Tessera.Server.Ca.Internal.CsrReader.ReadPublicKey(_csr);

    [Benchmark(Description = "  part: SVID signed for a parsed public key")]
    public X509Certificate2 SignX509Svid() => _ca.SignX509Svid(Workload, _publicKey)[0];

    [GlobalCleanup]
    public void Dispose()
    {
        _ca?.Dispose();
        _rawKey?.Dispose();
        GC.SuppressFinalize(this);
    }
}
