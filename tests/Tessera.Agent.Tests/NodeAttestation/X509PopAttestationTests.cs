using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Agent.NodeAttestation.X509Pop;
using Tessera.Agent.Tests.Fakes;

namespace Tessera.Agent.Tests.NodeAttestation;

public sealed class X509PopAttestationTests
{
    private static readonly byte[] Nonce = RandomNumberGenerator.GetBytes(32);

    [Fact]
    public async Task Start_WithX509Pop_SignsServerNonceAndAttests()
    {
        using var nodeCa = TestCa.CreateRoot("nodes.example");
        await using var server = await FakeNodeServer.StartAsync();
        server.NodeCa = nodeCa.Certificate;
        using var directory = new TempDirectory();
        using var node = nodeCa.IssueSvid("/node-1");
        var options = WithNodeFiles(TestAgent.OptionsFor(server, directory), directory, node.ChainPem, node.KeyPem);
        await using var agent = await TestAgent.StartAsync(options);

        await TestAgent.UntilAsync(() => agent.Identity.Svid is not null, "x509pop attestation");

        Assert.Equal(1, server.X509PopVerified);
        Assert.Equal($"spiffe://example.org/tessera/agent/x509pop/{node.Leaf.Thumbprint.ToLowerInvariant()}", agent.Identity.Svid!.Id.ToString());
    }

    [Fact]
    public void AnswerChallenge_Ecdsa_DerSha256OverDomainSeparatedNonce()
    {
        using var nodeCa = TestCa.CreateRoot("nodes.example");
        using var node = nodeCa.IssueSvid("/node-1");
        using var directory = new TempDirectory();
        using var client = Load(directory, node.ChainPem, node.KeyPem);

        var signature = client.AnswerChallenge(Nonce)!;

        Assert.True(node.Key.VerifyData(Signed(Nonce), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(node.Key.VerifyData(Signed(RandomNumberGenerator.GetBytes(32)), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.Equal("x509pop", client.Type);
        Assert.Equal(node.ChainDer, client.Payload);
    }

    [Fact]
    public void AnswerChallenge_Rsa_Pkcs1Sha256()
    {
        using var rsa = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=node", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var directory = new TempDirectory();
        using var client = Load(directory, certificate.ExportCertificatePem(), rsa.ExportPkcs8PrivateKeyPem());

        var signature = client.AnswerChallenge(Nonce)!;

        Assert.True(rsa.VerifyData(Signed(Nonce), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
    }

    [Fact]
    public void Load_KeyOfAnotherCertificate_Refused()
    {
        using var nodeCa = TestCa.CreateRoot("nodes.example");
        using var node = nodeCa.IssueSvid("/node-1");
        using var other = nodeCa.IssueSvid("/node-2");
        using var directory = new TempDirectory();

        var error = Assert.Throws<FormatException>(() => Load(directory, node.ChainPem, other.KeyPem));

        Assert.Equal($"x509pop_key_file '{directory.File("node.key")}' does not match the certificate in '{directory.File("node.pem")}'", error.Message);
    }

    [Fact]
    public async Task Attest_NodeCertificateFromUnknownCa_StopsWithReason()
    {
        using var nodeCa = TestCa.CreateRoot("nodes.example");
        using var rogueCa = TestCa.CreateRoot("rogue.example");
        await using var server = await FakeNodeServer.StartAsync();
        server.NodeCa = nodeCa.Certificate;
        using var directory = new TempDirectory();
        using var node = rogueCa.IssueSvid("/node-1");
        await using var agent = await TestAgent.StartAsync(WithNodeFiles(TestAgent.OptionsFor(server, directory), directory, node.ChainPem, node.KeyPem));

        await TestAgent.UntilAsync(() => agent.Termination.Reason is not null, "the agent to give up");

        Assert.Equal("node attestation (x509pop) was refused: attestation failed: PermissionDenied: node certificate is not from a trusted CA", agent.Termination.Reason);
    }

    internal static Agent.Configuration.AgentOptions WithNodeFiles(Agent.Configuration.AgentOptions options, TempDirectory directory, string certPem, string keyPem)
    {
        File.WriteAllText(directory.File("node.pem"), certPem);
        File.WriteAllText(directory.File("node.key"), keyPem);
        return options with { JoinToken = null, X509PopCertFile = directory.File("node.pem"), X509PopKeyFile = directory.File("node.key") };
    }

    private static byte[] Signed(byte[] nonce) => [.. "tessera-x509pop-v1"u8, 0, .. nonce];

    private static X509PopAttestorClient Load(TempDirectory directory, string certPem, string keyPem)
    {
        File.WriteAllText(directory.File("node.pem"), certPem);
        File.WriteAllText(directory.File("node.key"), keyPem);
        return X509PopAttestorClient.Load(directory.File("node.pem"), directory.File("node.key"));
    }
}
