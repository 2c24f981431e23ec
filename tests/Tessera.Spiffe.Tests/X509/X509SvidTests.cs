using System.Formats.Asn1;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tests.X509;

public sealed class X509SvidTests : IDisposable
{
    private const string KeyMismatch = "private key does not match the public key of the leaf certificate";

    private readonly TestCa _root = TestCa.CreateRoot();
    private readonly TestCa _ca;
    private readonly TestCa.Svid _svid;

    public X509SvidTests()
    {
        _ca = _root.CreateIntermediate();
        _svid = _ca.IssueSvid("/payments/api");
    }

    [Fact]
    public void Parse_PemChainAndPemKey_ReturnsSvid()
    {
        using var svid = X509Svid.Parse(Encoding.UTF8.GetBytes(_svid.ChainPem), Encoding.UTF8.GetBytes(_svid.KeyPem));

        Assert.Equal(SpiffeId.Parse("spiffe://example.org/payments/api"), svid.Id);
        Assert.Equal(_svid.Leaf, svid.Certificate);
        Assert.Equal(_svid.Chain, svid.Chain);
        Assert.Equal(new DateTimeOffset(_svid.Leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero), svid.NotAfter);
        Assert.IsAssignableFrom<ECDsa>(svid.PrivateKey);
        Assert.Null(svid.Hint);
    }

    [Fact]
    public void Parse_DerChainAndDerKey_ReturnsSvid()
    {
        using var svid = X509Svid.Parse(_svid.ChainDer, _svid.KeyPkcs8);

        Assert.Equal("spiffe://example.org/payments/api", svid.Id.ToString());
        Assert.Equal(2, svid.Chain.Count);
    }

    [Fact]
    public void ParseRaw_WorkloadApiFormat_ReturnsSvidWithHint()
    {
        using var svid = X509Svid.ParseRaw(_svid.ChainDer, _svid.KeyPkcs8, hint: "internal");

        Assert.Equal("internal", svid.Hint);
        Assert.Equal(_svid.Chain, svid.Chain);
    }

    [Fact]
    public void ParseRaw_PemChain_ThrowsFormatException()
    {
        var ex = Assert.Throws<FormatException>(() => X509Svid.ParseRaw(Encoding.UTF8.GetBytes(_svid.ChainPem), _svid.KeyPkcs8));

        Assert.Equal("certificate chain is PEM; the raw format is concatenated DER (use Parse for PEM)", ex.Message);
    }

    [Fact]
    public void ParseRaw_PemKey_ThrowsFormatException()
    {
        var ex = Assert.Throws<FormatException>(() => X509Svid.ParseRaw(_svid.ChainDer, Encoding.UTF8.GetBytes(_svid.KeyPem)));

        Assert.Equal("private key is not a DER PKCS#8 PrivateKeyInfo (and the input is not PEM)", ex.Message);
    }

    [Fact]
    public void Load_Files_ReturnsSvid()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("svid.pem"), _svid.ChainPem);
        File.WriteAllText(dir.File("key.pem"), _svid.KeyPem);

        using var svid = X509Svid.Load(dir.File("svid.pem"), dir.File("key.pem"));

        Assert.Equal("spiffe://example.org/payments/api", svid.Id.ToString());
    }

    [Fact]
    public void Parse_KeyOfAnotherCertificate_ThrowsFormatException()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var ex = Assert.Throws<FormatException>(() => X509Svid.Parse(_svid.ChainDer, other.ExportPkcs8PrivateKey()));

        Assert.Equal(KeyMismatch, ex.Message);
    }

    [Fact]
    public void Parse_KeyOfTheIntermediate_ThrowsFormatException()
    {
        var ex = Assert.Throws<FormatException>(() => X509Svid.Parse(_svid.ChainDer, _ca.Key.ExportPkcs8PrivateKey()));

        Assert.Equal(KeyMismatch, ex.Message);
    }

    [Fact]
    public void Parse_RsaKeyForEcLeaf_ThrowsFormatException()
    {
        using var rsa = RSA.Create(2048);

        var ex = Assert.Throws<FormatException>(() => X509Svid.Parse(_svid.ChainDer, rsa.ExportPkcs8PrivateKey()));

        Assert.Equal(KeyMismatch, ex.Message);
    }

    [Fact]
    public void Parse_RsaLeaf_ReturnsSvidWithRsaKey()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=rsa", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(TestCa.SubjectAltName(["spiffe://example.org/rsa"]));
        using var leaf = request.Create(_ca.Certificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_ca.Key),
            DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddHours(1), [1, 2, 3]);

        using var svid = X509Svid.Parse([.. leaf.RawData, .. _ca.Certificate.RawData], Encoding.UTF8.GetBytes(rsa.ExportPkcs8PrivateKeyPem()));

        Assert.IsAssignableFrom<RSA>(svid.PrivateKey);
        using var withKey = svid.GetCertificateWithKey();
        Assert.True(withKey.HasPrivateKey);
    }

    [Fact]
    public void Parse_Sec1EcPrivateKeyPem_ThrowsFormatException()
    {
        var sec1 = Encoding.UTF8.GetBytes(_svid.Key.ExportECPrivateKeyPem());

        var ex = Assert.Throws<FormatException>(() => X509Svid.Parse(_svid.ChainDer, sec1));

        Assert.Equal("private key PEM block is not \"PRIVATE KEY\" (PKCS#8); convert it with 'openssl pkcs8 -topk8 -nocrypt'", ex.Message);
    }

    [Fact]
    public void Parse_PemWithoutKey_ThrowsFormatException()
    {
        var ex = Assert.Throws<FormatException>(() => X509Svid.Parse(_svid.ChainDer, Encoding.UTF8.GetBytes(_svid.ChainPem)));

        Assert.Equal("private key PEM contains no \"PRIVATE KEY\" block", ex.Message);
    }

    [Fact]
    public void Parse_EmptyKey_ThrowsFormatException()
    {
        var ex = Assert.Throws<FormatException>(() => X509Svid.Parse(_svid.ChainDer, []));

        Assert.Equal("private key is empty; expected a PKCS#8 key, PEM \"PRIVATE KEY\" or DER", ex.Message);
    }

    [Fact]
    public void Parse_KeyWithTrailingData_ThrowsFormatException()
    {
        var ex = Assert.Throws<FormatException>(() => X509Svid.Parse(_svid.ChainDer, [.. _svid.KeyPkcs8, 0x00]));

        Assert.Equal("private key is not a DER PKCS#8 PrivateKeyInfo (and the input is not PEM)", ex.Message);
    }

    [Fact]
    public void Parse_Ed25519Key_ThrowsFormatException()
    {
        // PrivateKeyInfo { 0, { id-Ed25519 }, OCTET STRING { OCTET STRING (32 bytes) } } (RFC 8410).
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.101.112");
            }

            writer.WriteOctetString([0x04, 0x20, .. new byte[32]]);
        }

        var ex = Assert.Throws<FormatException>(() => X509Svid.Parse(_svid.ChainDer, writer.Encode()));

        Assert.Equal("private key algorithm 1.3.101.112 is not supported; expected EC or RSA", ex.Message);
    }

    [Fact]
    public void Parse_EmptyChain_ThrowsFormatException()
    {
        var ex = Assert.Throws<FormatException>(() => X509Svid.Parse([], _svid.KeyPkcs8));

        Assert.Equal("certificate chain is empty; expected PEM CERTIFICATE blocks or DER certificates", ex.Message);
    }

    [Fact]
    public void Parse_ChainInWrongOrder_ThrowsFormatException()
    {
        // Intermediate first: it becomes "the leaf" and fails the leaf rules.
        var reversed = (byte[])[.. _svid.Chain[1].RawData, .. _svid.Chain[0].RawData];

        var ex = Assert.Throws<FormatException>(() => X509Svid.Parse(reversed, _svid.KeyPkcs8));

        Assert.Equal("leaf SPIFFE ID 'spiffe://example.org' has no path; a leaf X509-SVID must have a non-root path (X509-SVID §3.1, §5.2)", ex.Message);
    }

    [Fact]
    public void ExportPem_RoundTrips()
    {
        using var svid = X509Svid.ParseRaw(_svid.ChainDer, _svid.KeyPkcs8);

        var (certificates, key) = svid.ExportPem();
        using var again = X509Svid.Parse(Encoding.UTF8.GetBytes(certificates), Encoding.UTF8.GetBytes(key));

        Assert.StartsWith("-----BEGIN CERTIFICATE-----", certificates, StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", key, StringComparison.Ordinal);
        Assert.Equal(svid.Chain, again.Chain);
        Assert.Equal(_svid.KeyPkcs8, again.PrivateKey.ExportPkcs8PrivateKey());
    }

    [Fact]
    public void ToString_NeverContainsKeyMaterial()
    {
        using var svid = X509Svid.ParseRaw(_svid.ChainDer, _svid.KeyPkcs8, "internal");

        var text = svid.ToString();

        Assert.Contains("spiffe://example.org/payments/api", text, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(_svid.KeyPkcs8)[..16], text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(_svid.Key.ExportParameters(true).D!)[..16], text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GetCertificateWithKey_ServesTlsWithSslStream()
    {
        using var svid = X509Svid.ParseRaw(_svid.ChainDer, _svid.KeyPkcs8);
        using var serverCertificate = svid.GetCertificateWithKey();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var serverTask = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync(cts.Token);
            await using var tls = new SslStream(socket.GetStream());
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = serverCertificate }, cts.Token);
            await tls.WriteAsync("ok"u8.ToArray(), cts.Token);
        }, cts.Token);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, cts.Token);
        X509SvidVerificationResult? verification = null;
        var bundle = new Tessera.Spiffe.Bundles.X509Bundle(TrustDomain.Parse("example.org"), [_root.Certificate]);
        await using var clientTls = new SslStream(client.GetStream(), false, (_, certificate, _, _) =>
        {
            // The server sends only its leaf here; the intermediate is known out of band in this test.
            using var leaf = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
            verification = X509SvidVerifier.Verify([leaf, _ca.Certificate], bundle, DateTimeOffset.UtcNow);
            return verification.IsValid;
        });
        await clientTls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "workload" }, cts.Token);
        var buffer = new byte[2];
        await clientTls.ReadExactlyAsync(buffer, cts.Token);
        await serverTask;

        Assert.Equal("ok"u8.ToArray(), buffer);
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/payments/api"), verification!.Id);
    }

    public void Dispose()
    {
        _svid.Dispose();
        _ca.Dispose();
        _root.Dispose();
    }
}
