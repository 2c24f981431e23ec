using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.X509;

namespace Tessera.Bench;

/// <summary>
/// The cost of verifying SVIDs, next to the raw ECDSA P-256 verification each of them contains: a 2-certificate
/// X509-SVID (root → leaf) needs one signature check, an ES256 JWT-SVID needs one. The Ratio column is the
/// cost of the whole verification over that raw check.
/// </summary>
[MemoryDiagnoser]
public class VerificationBenchmarks : IDisposable
{
    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;
    private ECDsa _caKey = null!;
    private X509Certificate2 _ca = null!;
    private X509Certificate2 _leaf = null!;
    private X509Certificate2[] _chain = null!;
    private X509Bundle _bundle = null!;
    private byte[] _tbs = null!;
    private byte[] _tbsSignature = null!;
    private ECDsa _jwtKey = null!;
    private JwtBundle _jwtBundle = null!;
    private string _token = null!;
    private byte[] _jwsInput = null!;
    private byte[] _jwsSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        var td = TrustDomain.Parse("example.org");
        _caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _ca = X509SvidIssuer.CreateAuthority(td, _caKey, _now.AddHours(-1), _now.AddDays(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var publicKey = new CertificateRequest("CN=x", leafKey, HashAlgorithmName.SHA256).PublicKey;
        _leaf = X509SvidIssuer.IssueLeaf(_ca, SpiffeId.Parse("spiffe://example.org/payments/api"), publicKey, _now.AddMinutes(-1), _now.AddHours(1));
        _chain = [_leaf];
        _bundle = new X509Bundle(td, [X509CertificateLoader.LoadCertificate(_ca.RawData)]);

        // The raw baseline signs a message the size of the leaf's to-be-signed part, so the hash cost matches.
        _tbs = RandomNumberGenerator.GetBytes(_leaf.RawData.Length - 80);
        _tbsSignature = _caKey.SignData(_tbs, HashAlgorithmName.SHA256);

        _jwtKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signer = new JwtSvidSigner(_jwtKey, "bench-key");
        _jwtBundle = new JwtBundle(td, [signer.Authority]);
        _token = signer.Mint(SpiffeId.Parse("spiffe://example.org/payments/api"), ["spiffe://example.org/reports"], _now, _now.AddMinutes(5));
        var lastDot = _token.LastIndexOf('.');
        _jwsInput = System.Text.Encoding.ASCII.GetBytes(_token[..lastDot]);
        _jwsSignature = Base64UrlDecode(_token[(lastDot + 1)..]);
    }

    [Benchmark(Baseline = true, Description = "raw ECDsa P-256 VerifyData (SHA-256)")]
    public bool RawEcdsaVerify() => _caKey.VerifyData(_tbs, _tbsSignature, HashAlgorithmName.SHA256);

    [Benchmark(Description = "X509SvidVerifier.Verify (leaf + root bundle)")]
    public bool X509SvidVerify() => X509SvidVerifier.Verify(_chain, _bundle, _now).IsValid;

    [Benchmark(Description = "raw ECDsa P-256 VerifyData of the JWS input (SHA-256)")]
    public bool RawEcdsaVerifyJws() => _jwtKey.VerifyData(_jwsInput, _jwsSignature, HashAlgorithmName.SHA256);

    [Benchmark(Description = "JwtSvidValidator.Validate (ES256)")]
    public bool JwtSvidValidate() => JwtSvidValidator.Validate(_token, _jwtBundle, "spiffe://example.org/reports", _now, TimeSpan.Zero).IsValid;

    public void Dispose()
    {
        _caKey?.Dispose();
        _ca?.Dispose();
        _leaf?.Dispose();
        _jwtKey?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static byte[] Base64UrlDecode(string text) => System.Buffers.Text.Base64Url.DecodeFromChars(text);
}
