using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Tessera.Server.Ca;
using Tessera.Server.Ca.Journal.Memory;
using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Sqlite;
using Tessera.Server.KeyManagers.Memory;
using Tessera.Spiffe.Ids;

namespace Tessera.Bench;

/// <summary>
/// X509-SVID signing throughput of the server's CA — PKCS#10 CSR parsed, its signature verified, SVID built and
/// signed — next to the raw ECDSA P-256 sign + verify pair it cannot do without. The Ratio column answers
/// "does the CA reach at least half of the raw rate?" (a ratio of 2.0 or less). The "recorded" row adds what the
/// node API does per batch: 100 SVIDs written to the SQLite datastore's issued-SVID table in one transaction.
/// </summary>
[MemoryDiagnoser]
public class SigningBenchmarks : IDisposable
{
    private const int Batch = 100;
    private static readonly SpiffeId Workload = SpiffeId.Parse("spiffe://example.org/payments/api");
    private static readonly SpiffeId Agent = SpiffeId.Parse("spiffe://example.org/spire/agent/join_token/bench");
    private CertificateAuthority _ca = null!;
    private byte[] _csr = null!;
    private ECDsa _rawKey = null!;
    private byte[] _message = null!;
    private PublicKey _publicKey = null!;
    private string _directory = null!;
    private IDataStore _store = null!;

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
        _message = RandomNumberGenerator.GetBytes(_ca.IssueX509SvidFromCsr(Workload, _csr).Leaf.Der.Length - 80);
        _directory = Directory.CreateTempSubdirectory("tessera-signing-bench-").FullName;
        _store = await SqliteDataStore.OpenAsync(Path.Combine(_directory, "datastore.sqlite3"), TimeProvider.System, CancellationToken.None);
    }

    [Benchmark(Baseline = true, Description = "raw ECDsa P-256 SignData + VerifyData (SHA-256)")]
    public bool RawEcdsaSignVerify() =>
        _rawKey.VerifyData(_message, _rawKey.SignData(_message, HashAlgorithmName.SHA256), HashAlgorithmName.SHA256);

    [Benchmark(Description = "CA IssueX509SvidFromCsr (CSR verified, SVID signed, DER)")]
    public ReadOnlyMemory<byte> IssueX509SvidFromCsr() => _ca.IssueX509SvidFromCsr(Workload, _csr).Leaf.Der;

    [Benchmark(OperationsPerInvoke = Batch, Description = "  + recorded: 100 per SQLite transaction, per SVID")]
    public Task<int> IssueAndRecordBatchAsync() => _store.WriteAsync(async (writer, ct) =>
    {
        var now = DateTimeOffset.UtcNow;
        var records = new IssuedSvid[Batch];
        for (var i = 0; i < Batch; i++)
        {
            var issued = _ca.IssueX509SvidFromCsr(Workload, _csr);
            records[i] = new IssuedSvid(issued.Leaf.SerialNumber, Workload, issued.Leaf.NotAfter, Agent, issued.AuthorityKeyIdentifier, now);
        }

        await writer.RecordIssuedSvidsAsync(records, ct).ConfigureAwait(false);
        return records.Length;
    }, CancellationToken.None);

    [Benchmark(Description = "  part: CSR parsed + signature verified")]
    public PublicKey ReadCsr() => Tessera.Server.Ca.Internal.CsrReader.ReadPublicKey(_csr);

    [Benchmark(Description = "  part: SVID signed for a parsed public key")]
    public ReadOnlyMemory<byte> IssueX509Svid() => _ca.IssueX509Svid(Workload, _publicKey).Leaf.Der;

    [Benchmark(Description = "  (for comparison) the SVID parsed back into X509Certificate2")]
    public X509Certificate2 SignX509SvidFromCsr() => _ca.SignX509SvidFromCsr(Workload, _csr)[0];

    [GlobalCleanup]
    public void Dispose()
    {
        _ca?.Dispose();
        _rawKey?.Dispose();
        _store?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}
