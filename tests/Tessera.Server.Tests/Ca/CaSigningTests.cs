using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Server.Ca;
using Tessera.Server.Ca.Rotation;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Tests.Ca;

/// <summary>X509-SVID signing from keys and CSRs, and JWT-SVID minting.</summary>
public sealed class CaSigningTests
{
    [Fact]
    public async Task SignX509SvidFromCsr_CsrAsksForCaAndExtraSans_IssuedSvidHasNeither()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=evil", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(TestCa.SubjectAltName(["spiffe://example.org/admin", "spiffe://other.org/x"], ["evil.example"]));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));

        var chain = ca.SignX509SvidFromCsr(CaTests.Workload, request.CreateSigningRequest(), dnsNames: ["api.example.org"]);

        var leaf = Assert.Single(chain);
        Assert.False(leaf.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal(X509KeyUsageFlags.DigitalSignature, leaf.Extensions.OfType<X509KeyUsageExtension>().Single().KeyUsages);
        var san = leaf.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["spiffe://example.org/workload"], UriSans(san));
        Assert.Equal(["api.example.org"], san.EnumerateDnsNames());
        Assert.DoesNotContain("evil", leaf.Subject, StringComparison.Ordinal);
        Assert.Equal(key.ExportSubjectPublicKeyInfo(), leaf.PublicKey.ExportSubjectPublicKeyInfo());
        var result = X509SvidVerifier.Verify(chain, ca.X509Bundle, clock.GetUtcNow());
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(CaTests.Workload, result.Id);
    }

    [Fact]
    public async Task SignX509SvidFromCsr_BadSignature_RejectedWithExactError()
    {
        using var ca = await CaTests.CreateAsync(ManualClock.AtEpoch());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        csr[^1] ^= 0x01; // last byte of the signature's s value: still well-formed DER, wrong signature

        var ex = Assert.Throws<InvalidCsrException>(() => ca.SignX509SvidFromCsr(CaTests.Workload, csr));
        Assert.Equal("CSR signature does not verify", ex.Message);
    }

    [Fact]
    public async Task SignX509SvidFromCsr_Garbage_RejectedWithExactError()
    {
        using var ca = await CaTests.CreateAsync(ManualClock.AtEpoch());
        var ex = Assert.Throws<InvalidCsrException>(() => ca.SignX509SvidFromCsr(CaTests.Workload, [0x30, 0x03, 0x02, 0x01, 0x00]));
        Assert.Equal("CSR is not a valid PKCS#10 request", ex.Message);
    }

    [Fact]
    public async Task SignX509SvidFromCsr_WeakRsaKey_RejectedWithExactError()
    {
        using var ca = await CaTests.CreateAsync(ManualClock.AtEpoch());
        using var rsa = RSA.Create(1024);
        var csr = new CertificateRequest("CN=x", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSigningRequest();
        var ex = Assert.Throws<InvalidCsrException>(() => ca.SignX509SvidFromCsr(CaTests.Workload, csr));
        Assert.Equal("CSR key is RSA with 1024 bits; use at least 2048", ex.Message);
    }

    [Fact]
    public async Task SignX509SvidFromCsr_Secp256k1Key_RejectedWithExactError()
    {
        using var ca = await CaTests.CreateAsync(ManualClock.AtEpoch());
        using var key = ECDsa.Create(ECCurve.CreateFromValue("1.3.132.0.10"));
        var csr = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        var ex = Assert.Throws<InvalidCsrException>(() => ca.SignX509SvidFromCsr(CaTests.Workload, csr));
        Assert.Equal("CSR key is on EC curve 1.3.132.0.10; use P-256, P-384 or P-521", ex.Message);
    }

    [Fact]
    public async Task SignX509SvidFromCsr_P384Key_Issued()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var csr = new CertificateRequest("CN=x", key, HashAlgorithmName.SHA384).CreateSigningRequest();
        Assert.True(X509SvidVerifier.Verify(ca.SignX509SvidFromCsr(CaTests.Workload, csr), ca.X509Bundle, clock.GetUtcNow()).IsValid);
    }

    [Theory]
    [InlineData("SHA256", false)]
    [InlineData("SHA512", false)]
    [InlineData("SHA256", true)]
    public async Task SignX509SvidFromCsr_Rsa2048Key_IssuedForPkcs1AndPss(string hash, bool pss)
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);
        using var rsa = RSA.Create(2048);
        var csr = new CertificateRequest("CN=x", rsa, new HashAlgorithmName(hash), pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1).CreateSigningRequest();

        var chain = ca.SignX509SvidFromCsr(CaTests.Workload, csr);

        Assert.True(X509SvidVerifier.Verify(chain, ca.X509Bundle, clock.GetUtcNow()).IsValid);
        Assert.Equal(rsa.ExportSubjectPublicKeyInfo(), chain[0].PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SignX509SvidFromCsr_SignedByAnotherKey_RejectedWithExactError(bool rsaSignature)
    {
        using var ca = await CaTests.CreateAsync(ManualClock.AtEpoch());
        using var claimed = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rsa = RSA.Create(2048);

        // The request carries one key but is signed by another (no proof of possession of the claimed key), or
        // claims an ECDSA key under an RSA signature algorithm.
        var request = new CertificateRequest(new X500DistinguishedName("CN=x"), new PublicKey(claimed), HashAlgorithmName.SHA256);
        var generator = rsaSignature ? X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1) : X509SignatureGenerator.CreateForECDsa(other);
        var csr = request.CreateSigningRequest(generator);

        var ex = Assert.Throws<InvalidCsrException>(() => ca.SignX509SvidFromCsr(CaTests.Workload, csr));
        Assert.Equal("CSR signature does not verify", ex.Message);
    }

    [Fact]
    public async Task SignX509SvidFromCsr_TrailingBytes_RejectedWithExactError()
    {
        using var ca = await CaTests.CreateAsync(ManualClock.AtEpoch());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] csr = [.. new CertificateRequest("CN=x", key, HashAlgorithmName.SHA256).CreateSigningRequest(), 0x00, 0x00];

        var ex = Assert.Throws<InvalidCsrException>(() => ca.SignX509SvidFromCsr(CaTests.Workload, csr));
        Assert.Equal("CSR has 2 trailing bytes", ex.Message);
    }

    [Fact]
    public async Task SignX509Svid_TtlBeyondCaLife_ClampedToCaNotAfter()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);
        clock.Advance(TimeSpan.FromHours(23));
        var leaf = ca.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey(), TimeSpan.FromHours(5))[0];
        Assert.Equal(ca.X509Keys.Single(k => k.Status == KeyStatus.Active).NotAfter, new DateTimeOffset(leaf.NotAfter.ToUniversalTime()));
    }

    [Fact]
    public async Task SignX509Svid_DefaultTtl_OneHour()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);
        var leaf = ca.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey())[0];
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromHours(1), new DateTimeOffset(leaf.NotAfter.ToUniversalTime()));
    }

    [Fact]
    public async Task SignX509Svid_OtherTrustDomain_Refused()
    {
        using var ca = await CaTests.CreateAsync(ManualClock.AtEpoch());
        var ex = Assert.Throws<ArgumentException>(() => ca.SignX509Svid(Tessera.Spiffe.Ids.SpiffeId.Parse("spiffe://other.org/w"), CaTests.NewPublicKey()));
        Assert.Equal("'spiffe://other.org/w' is not in trust domain 'example.org'; this CA signs for its own trust domain only (Parameter 'id')", ex.Message);
    }

    [Fact]
    public async Task SignJwtSvid_Default_VerifiesAgainstPublishedBundleWithActiveKid()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);
        var token = ca.SignJwtSvid(CaTests.Workload, ["spiffe://example.org/db"]);
        var result = JwtSvidValidator.Validate(token, ca.JwtBundle, "spiffe://example.org/db", clock.GetUtcNow(), TimeSpan.Zero);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(CaTests.Workload, result.Svid!.Id);
        Assert.Equal(ca.JwtKeys.Single().KeyId, result.Svid.KeyId);
        Assert.Equal(JwtSvidAlgorithm.ES256, result.Svid.Algorithm);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(5), result.Svid.Expiry);
    }

    [Fact]
    public async Task SignJwtSvid_NearKeyEndOfLife_ExpiryClampedToKeyNotAfter()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);
        var key = ca.JwtKeys.Single();
        clock.Set(key.NotAfter - TimeSpan.FromMinutes(1)); // no tick: the key is still the active one
        var token = ca.SignJwtSvid(CaTests.Workload, ["aud"]);
        var result = JwtSvidValidator.Validate(token, ca.JwtBundle, "aud", clock.GetUtcNow(), TimeSpan.Zero);
        Assert.Equal(key.NotAfter, result.Svid!.Expiry);
    }

    private static List<string> UriSans(X509Extension san)
    {
        // GeneralName uniformResourceIdentifier is [6] IA5String (RFC 5280 §4.2.1.6).
        var uris = new List<string>();
        var names = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.HasSameClassAndValue(new Asn1Tag(TagClass.ContextSpecific, 6)))
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 6)));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }

        return uris;
    }
}
