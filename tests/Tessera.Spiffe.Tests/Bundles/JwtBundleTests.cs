using System.Security.Cryptography;
using System.Text;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tests.Jwt;

namespace Tessera.Spiffe.Tests.Bundles;

public sealed class JwtBundleTests
{
    private static readonly JwtAuthority K1 = new("k1", TestKeys.P256);
    private static readonly JwtAuthority K2 = new("k2", TestKeys.Rsa2048);

    [Fact]
    public void TryGetAuthority_KnownAndUnknownKid_FoundOrNot()
    {
        var bundle = new JwtBundle(TestKeys.Domain, [K1, K2]);

        Assert.True(bundle.TryGetAuthority("k2", out var found));
        Assert.Same(K2, found);
        Assert.False(bundle.TryGetAuthority("K2", out _));
        Assert.False(bundle.TryGetAuthority("k3", out _));
    }

    [Fact]
    public void Constructor_IdenticalDuplicates_Collapsed() =>
        Assert.Single(new JwtBundle(TestKeys.Domain, [K1, new JwtAuthority("k1", TestKeys.P256)]).Authorities);

    [Fact]
    public void Constructor_DifferentKeysSameKid_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => new JwtBundle(TestKeys.Domain, [K1, new JwtAuthority("k1", TestKeys.P384)]));

        Assert.Equal("two different keys have the key ID 'k1'; key IDs must be unique in a bundle (Parameter 'authorities')", ex.Message);
    }

    [Fact]
    public void Constructor_ZeroTrustDomain_Throws() =>
        Assert.Throws<ArgumentException>(() => new JwtBundle(default, []));

    [Fact]
    public void WithAuthority_SameKid_ReplacesKeyAndLeavesOriginal()
    {
        var original = new JwtBundle(TestKeys.Domain, [K1, K2]);
        var replacement = new JwtAuthority("k1", TestKeys.P384);

        var updated = original.WithAuthority(replacement);

        Assert.True(updated.TryGetAuthority("k1", out var found));
        Assert.Equal(replacement, found);
        Assert.Equal(2, updated.Authorities.Count);
        Assert.True(original.TryGetAuthority("k1", out var old));
        Assert.Equal(K1, old);
    }

    [Fact]
    public void WithoutAuthority_Kid_Removed()
    {
        var bundle = new JwtBundle(TestKeys.Domain, [K1, K2]).WithoutAuthority("k1");

        Assert.Equal(["k2"], bundle.Authorities.Select(a => a.KeyId));
        Assert.True(bundle.WithoutAuthority("k2").IsEmpty);
    }

    [Fact]
    public void TryGetJwtBundle_OwnAndOtherTrustDomain_FoundOrNot()
    {
        var bundle = new JwtBundle(TestKeys.Domain, [K1]);

        Assert.True(bundle.TryGetJwtBundle(TestKeys.Domain, out var same));
        Assert.Same(bundle, same);
        Assert.False(bundle.TryGetJwtBundle(TrustDomain.Parse("other.org"), out _));
    }

    [Fact]
    public void JwtAuthority_ToJwkFromJwk_RoundTrips()
    {
        foreach (var authority in new[] { K1, K2, new JwtAuthority("k384", TestKeys.P384), new JwtAuthority("k521", TestKeys.P521) })
        {
            Assert.Equal(authority, JwtAuthority.FromJwk(Encoding.UTF8.GetBytes(authority.ToJwk())));
        }
    }

    [Fact]
    public void JwtAuthority_P521Jwk_Uses66ByteCoordinates()
    {
        var jwk = System.Text.Json.JsonDocument.Parse(new JwtAuthority("k", TestKeys.P521).ToJwk()).RootElement;

        Assert.Equal(88, jwk.GetProperty("x").GetString()!.Length);
        Assert.Equal(88, jwk.GetProperty("y").GetString()!.Length);
    }

    [Fact]
    public void JwtAuthority_CreatePublicKey_FreshPublicOnlyInstance()
    {
        using var key = (ECDsa)K1.CreatePublicKey();
        using var again = K1.CreatePublicKey();

        Assert.NotSame(key, again);
        Assert.Throws<CryptographicException>(() => key.ExportParameters(includePrivateParameters: true));
        Assert.Equal(TestKeys.P256.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public void JwtAuthority_Properties_DescribeKey()
    {
        Assert.Equal("EC", K1.KeyType);
        Assert.Equal("P-256", K1.Curve);
        Assert.Equal("k1 (EC P-256)", K1.ToString());
        Assert.Equal("RSA", K2.KeyType);
        Assert.Null(K2.Curve);
        Assert.Equal(2048, K2.KeySize);
    }

    [Fact]
    public void JwtAuthority_FromJwkUnsupportedType_FormatException() =>
        Assert.Equal("JWK key type 'oct' is not supported; expected EC or RSA", Assert.Throws<FormatException>(() => JwtAuthority.FromJwk("{\"kty\":\"oct\",\"k\":\"AA\",\"kid\":\"a\"}"u8)).Message);

    [Fact]
    public void JwtAuthority_UnsupportedKey_Throws()
    {
        using var dsa = DSA.Create();

        Assert.Throws<ArgumentException>(() => new JwtAuthority("k", dsa));
        Assert.Throws<ArgumentException>(() => new JwtAuthority(string.Empty, TestKeys.P256));
    }
}
