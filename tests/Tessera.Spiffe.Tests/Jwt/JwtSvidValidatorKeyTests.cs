using System.Security.Cryptography;
using System.Text;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;

namespace Tessera.Spiffe.Tests.Jwt;

/// <summary>Key lookup, algorithm/key binding and signature rules.</summary>
public sealed class JwtSvidValidatorKeyTests
{
    [Fact]
    public void Validate_SubjectInTrustDomainWithoutBundle_BundleNotFound()
    {
        var token = new TokenBuilder().With("sub", "spiffe://other.org/workload").Sign(TestKeys.P256);

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.BundleNotFound, "no JWT bundle for trust domain 'other.org'");
    }

    [Fact]
    public void Validate_SourceReturnsBundleOfOtherTrustDomain_BundleNotFound()
    {
        var token = new TokenBuilder().With("sub", "spiffe://other.org/workload").Sign(TestKeys.P256);

        JwtAssert.Rejected(JwtAssert.Validate(token, bundles: new LyingSource()), JwtSvidError.BundleNotFound, "the bundle source returned the JWT bundle of 'example.org' for trust domain 'other.org'");
    }

    [Fact]
    public void Validate_UnknownKeyId_AuthorityNotFound() =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().WithHeader("kid", "nope").Sign(TestKeys.P256)), JwtSvidError.AuthorityNotFound, "no JWT authority with key ID 'nope' in the bundle of 'example.org'");

    [Fact]
    public void Validate_HostileKeyId_SanitizedAndTruncatedInMessage()
    {
        var kid = "\u001b[31mred\r\n" + new string('k', 100);
        var token = new TokenBuilder().WithHeader("kid", kid).Sign(TestKeys.P256);

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.AuthorityNotFound, $"no JWT authority with key ID '?[31mred??{new string('k', 54)}...' in the bundle of 'example.org'");
    }

    [Fact]
    public void Validate_KeyIdCaseDiffers_AuthorityNotFound() =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().WithHeader("kid", "K1").Sign(TestKeys.P256)), JwtSvidError.AuthorityNotFound, "no JWT authority with key ID 'K1' in the bundle of 'example.org'");

    [Theory]
    [InlineData("ES256", "k384", "ES256 needs an EC P-256 key, but the key is EC P-384")]
    [InlineData("ES384", "k1", "ES384 needs an EC P-384 key, but the key is EC P-256")]
    [InlineData("ES512", "rsa", "ES512 needs an EC P-521 key, but the key is RSA 2048")]
    [InlineData("RS256", "k1", "RS256 needs an RSA key, but the key is EC P-256")]
    [InlineData("PS256", "k521", "PS256 needs an RSA key, but the key is EC P-521")]
    [InlineData("RS256", "rsa1024", "RS256 needs an RSA key of at least 2048 bits (RFC 7518 §3.3), but the key has 1024")]
    public void Validate_KeyDoesNotFitAlgorithm_KeyMismatch(string alg, string kid, string problem)
    {
        var token = new TokenBuilder().WithHeader("alg", alg).WithHeader("kid", kid).WithSignature(new byte[64]);

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.KeyMismatch, $"key '{kid}': {problem}");
    }

    [Fact]
    public void Validate_SmallRsaKeyEvenWhenCorrectlySigned_KeyMismatch()
    {
        var token = new TokenBuilder().WithHeader("alg", "RS256").WithHeader("kid", "rsa1024").Sign(TestKeys.Rsa1024);

        Assert.Equal(JwtSvidError.KeyMismatch, JwtAssert.Validate(token).Error);
    }

    [Fact]
    public void Validate_HmacWithPublicKeyAsSecret_UnsupportedAlgorithm()
    {
        // The classic algorithm confusion: HS256 keyed with the verifier's public key bytes.
        var builder = new TokenBuilder().WithHeader("alg", "HS256");
        var mac = HMACSHA256.HashData(new JwtAuthority("k1", TestKeys.P256).ExportSubjectPublicKeyInfo(), Encoding.ASCII.GetBytes(builder.SigningInput()));

        Assert.Equal(JwtSvidError.UnsupportedAlgorithm, JwtAssert.Validate(builder.WithSignature(mac)).Error);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(63)]
    [InlineData(65)]
    [InlineData(72)]
    public void Validate_EcSignatureOfWrongLength_InvalidSignature(int length) =>
        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().WithSignature(new byte[length])), JwtSvidError.InvalidSignature, $"ES256 signature must be 64 bytes (r||s, RFC 7518 §3.4), but it is {length}");

    [Fact]
    public void Validate_ManyThreadsSharingThePooledKey_EachTokenJudgedOnItsOwn()
    {
        // The bundle's key is imported once and lent to one caller at a time; interleaved good and forged
        // tokens on many threads must each get their own verdict.
        var good = new TokenBuilder().Sign(TestKeys.P256);
        var parts = good.Split('.');
        var forged = $"{parts[0]}.{new TokenBuilder().With("sub", "spiffe://example.org/admin").SigningInput().Split('.')[1]}.{parts[2]}";
        var verdicts = new bool[4000];

        Parallel.For(0, verdicts.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i => verdicts[i] = JwtAssert.Validate(i % 2 == 0 ? good : forged).IsValid);

        Assert.All(verdicts.Where((_, i) => i % 2 == 0), Assert.True);
        Assert.All(verdicts.Where((_, i) => i % 2 == 1), Assert.False);
    }

    [Fact]
    public void Validate_DerEncodedEcSignature_InvalidSignature()
    {
        // JOSE uses IEEE P1363 r||s, never DER; a DER signature (about 70-72 bytes) must not be accepted.
        var builder = new TokenBuilder();
        var der = TestKeys.P256.SignData(Encoding.ASCII.GetBytes(builder.SigningInput()), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

        Assert.Equal(JwtSvidError.InvalidSignature, JwtAssert.Validate(builder.WithSignature(der)).Error);
    }

    [Fact]
    public void Validate_TamperedPayload_InvalidSignature()
    {
        var parts = new TokenBuilder().Sign(TestKeys.P256).Split('.');
        var forged = new TokenBuilder().With("sub", "spiffe://example.org/admin").SigningInput().Split('.')[1];

        JwtAssert.Rejected(JwtAssert.Validate(parts[0] + "." + forged + "." + parts[2]), JwtSvidError.InvalidSignature, "signature does not verify with key 'k1'");
    }

    [Fact]
    public void Validate_SignedByKeyNotInBundle_InvalidSignature()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        JwtAssert.Rejected(JwtAssert.Validate(new TokenBuilder().Sign(other)), JwtSvidError.InvalidSignature, "signature does not verify with key 'k1'");
    }

    [Theory]
    [InlineData("PS256", JwtSvidAlgorithm.RS256)]
    [InlineData("RS256", JwtSvidAlgorithm.PS256)]
    [InlineData("RS384", JwtSvidAlgorithm.RS256)]
    public void Validate_RsaPaddingOrHashDiffersFromAlg_InvalidSignature(string alg, JwtSvidAlgorithm signedWith)
    {
        var token = new TokenBuilder().WithHeader("alg", alg).WithHeader("kid", "rsa").Sign(TestKeys.Rsa2048, signedWith);

        JwtAssert.Rejected(JwtAssert.Validate(token), JwtSvidError.InvalidSignature, "signature does not verify with key 'rsa'");
    }

    [Fact]
    public void Validate_KeyOfOtherTrustDomainWithSameKid_InvalidSignature()
    {
        // other.org's bundle has its own "k1"; a token claiming an other.org identity signed with
        // example.org's k1 must not verify (bundles are per trust domain, SPIFFE bundle §6.2).
        var other = TrustDomain.Parse("other.org");
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var set = new BundleSet(new SpiffeBundle(TestKeys.Domain, jwtBundle: JwtAssert.Bundle), new SpiffeBundle(other, jwtBundle: new JwtBundle(other, [new JwtAuthority("k1", otherKey)])));
        var token = new TokenBuilder().With("sub", "spiffe://other.org/workload").Sign(TestKeys.P256);

        JwtAssert.Rejected(JwtAssert.Validate(token, bundles: set), JwtSvidError.InvalidSignature, "signature does not verify with key 'k1'");
        JwtAssert.Valid(JwtAssert.Validate(new TokenBuilder().With("sub", "spiffe://other.org/workload").Sign(otherKey), bundles: set));
    }

    [Fact]
    public void Validate_BadSignatureAndExpired_InvalidSignatureReportedFirst()
    {
        var token = new TokenBuilder().With("exp", 1).With("iat", 0).WithSignature(new byte[64]);

        Assert.Equal(JwtSvidError.InvalidSignature, JwtAssert.Validate(token).Error);
    }

    private sealed class LyingSource : IJwtBundleSource
    {
        public bool TryGetJwtBundle(TrustDomain trustDomain, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JwtBundle? bundle)
        {
            bundle = JwtAssert.Bundle;
            return true;
        }
    }
}
