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

    private static (byte[] Der, string Pem) Crl(params byte[][] serials)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=test CA", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.KeyCertSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1));
        var builder = new CertificateRevocationListBuilder();
        foreach (var serial in serials)
        {
            builder.AddEntry(serial, DateTimeOffset.UtcNow);
        }

        var der = builder.Build(ca, BigInteger.One, DateTimeOffset.UtcNow.AddHours(1), HashAlgorithmName.SHA256);
        return (der, PemEncoding.WriteString("X509 CRL", der));
    }
}
