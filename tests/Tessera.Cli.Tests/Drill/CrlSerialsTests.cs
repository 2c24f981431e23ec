using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Cli.Drill;

namespace Tessera.Cli.Tests.Drill;

public sealed class CrlSerialsTests
{
    [Fact]
    public void Read_DerAndPem_ListsRevokedSerialsAsUpperHex()
    {
        var (der, pem) = Crl([0x00, 0x8A, 0x01], [0x3F, 0x4F, 0xAF]);

        Assert.Equal(["8A01", "3F4FAF"], CrlSerials.Read(der).Order().Reverse());
        Assert.Equal(CrlSerials.Read(der), CrlSerials.Read(System.Text.Encoding.ASCII.GetBytes(pem)));
    }

    [Fact]
    public void Read_Empty_NoSerials()
    {
        var (der, _) = Crl();

        Assert.Empty(CrlSerials.Read(der));
    }

    [Theory]
    [InlineData("008a01", "8A01")]
    [InlineData("8A01", "8A01")]
    [InlineData("a01", "0A01")]
    public void Normalize_MatchesRead(string given, string expected) => Assert.Equal(expected, CrlSerials.Normalize(given));

    [Fact]
    public void Read_NotACrl_Throws() => Assert.ThrowsAny<Exception>(() => CrlSerials.Read([0x30, 0x03, 0x02, 0x01, 0x01]));

    [Fact]
    public void IsSignedBy_TheIssuingAuthority_TrueAnotherFalse()
    {
        using var ca = Authority(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        using var other = Authority(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var (der, pem) = Crl(ca, [0x01]);

        Assert.True(CrlSignature.IsSignedBy(der, [other, ca]));
        Assert.True(CrlSignature.IsSignedBy(System.Text.Encoding.ASCII.GetBytes(pem), [ca]));
        Assert.False(CrlSignature.IsSignedBy(der, [other]));
        Assert.False(CrlSignature.IsSignedBy(der, []));
    }

    [Fact]
    public void IsSignedBy_RsaAuthority_Verifies()
    {
        using var ca = Authority(RSA.Create(2048));
        var (der, _) = Crl(ca, [0x02]);

        Assert.True(CrlSignature.IsSignedBy(der, [ca]));
    }

    [Fact]
    public void IsSignedBy_TamperedList_False()
    {
        using var ca = Authority(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        var (der, _) = Crl(ca, [0x01, 0x23]);
        var index = der.AsSpan().IndexOf([(byte)0x01, (byte)0x23]);
        der[index + 1] = 0x24; // another serial listed than the authority signed

        Assert.False(CrlSignature.IsSignedBy(der, [ca]));
    }

    private static (byte[] Der, string Pem) Crl(params byte[][] serials)
    {
        using var ca = Authority(ECDsa.Create(ECCurve.NamedCurves.nistP256));
        return Crl(ca, serials);
    }

    private static X509Certificate2 Authority(AsymmetricAlgorithm key)
    {
        using (key)
        {
            var request = key is RSA rsa
                ? new CertificateRequest("CN=test CA", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest("CN=test CA", (ECDsa)key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.KeyCertSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        }
    }

    private static (byte[] Der, string Pem) Crl(X509Certificate2 ca, params byte[][] serials)
    {
        var builder = new CertificateRevocationListBuilder();
        foreach (var serial in serials)
        {
            builder.AddEntry(serial, DateTimeOffset.UtcNow);
        }

        var der = ca.GetRSAPrivateKey() is not null
            ? builder.Build(ca, BigInteger.One, DateTimeOffset.UtcNow.AddHours(1), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : builder.Build(ca, BigInteger.One, DateTimeOffset.UtcNow.AddHours(1), HashAlgorithmName.SHA256);
        return (der, PemEncoding.WriteString("X509 CRL", der));
    }
}
