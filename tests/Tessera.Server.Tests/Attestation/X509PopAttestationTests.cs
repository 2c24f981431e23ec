using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts.Node.V1;
using Tessera.Server.Attestation.X509Pop;
using Tessera.Server.Tests.NodeApi;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Tests.Attestation;

/// <summary>x509pop attestation over a real TLS gRPC Attest stream: chain to the configured CA, then proof of possession.</summary>
public sealed class X509PopAttestationTests : IAsyncLifetime, IDisposable
{
    private readonly TestCa _nodeCa = TestCa.CreateRoot("nodes.example");
    private readonly TestCa _intermediate;
    private NodeServer _server = null!;

    public X509PopAttestationTests() => _intermediate = _nodeCa.CreateIntermediate();

    public async Task InitializeAsync() => _server = await NodeServer.StartAsync(services =>
        services.AddSingleton(new X509PopOptions { TrustedRoots = [X509CertificateLoader.LoadCertificate(_nodeCa.Certificate.RawData)], ChallengeTimeout = TimeSpan.FromSeconds(1) }));

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _intermediate.Dispose();
        _nodeCa.Dispose();
    }

    [Fact]
    public async Task Attest_ChainToTrustedCaAndValidProof_AgentIdIsLeafHash()
    {
        using var node = _intermediate.IssueSvid("/node1");

        var result = await AttestAsync(node, nonce => Sign(node.Key, nonce));

        Assert.Equal($"spiffe://example.org/tessera/agent/x509pop/{Convert.ToHexStringLower(SHA256.HashData(node.Leaf.RawData))}", result.SpiffeId);
        using var leaf = X509CertificateLoader.LoadCertificate(result.SvidChain[0].Span);
        Assert.True(X509SvidVerifier.Verify([leaf], _server.Ca.Bundle, TimeProvider.System).IsValid);
        Assert.Equal("x509pop", (await _server.Store.ListAgentsAsync(CancellationToken.None)).Single().AttestationType);
    }

    [Fact]
    public async Task Attest_ForgedSignature_PermissionDenied()
    {
        using var node = _intermediate.IssueSvid("/node1");
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var ex = await Assert.ThrowsAsync<RpcException>(() => AttestAsync(node, nonce => Sign(otherKey, nonce)));

        AssertDenied(ex, "x509pop: the signature does not verify over this attempt's challenge with the node certificate's key");
        Assert.Empty(await _server.Store.ListAgentsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Attest_GarbageSignature_PermissionDenied()
    {
        using var node = _intermediate.IssueSvid("/node1");

        var ex = await Assert.ThrowsAsync<RpcException>(() => AttestAsync(node, _ => [1, 2, 3]));

        AssertDenied(ex, "x509pop: the signature does not verify over this attempt's challenge with the node certificate's key");
    }

    [Fact]
    public async Task Attest_ReplayedResponseFromEarlierAttempt_PermissionDenied()
    {
        using var node = _intermediate.IssueSvid("/node1");
        byte[]? captured = null;
        await AttestAsync(node, nonce => captured = Sign(node.Key, nonce));

        var ex = await Assert.ThrowsAsync<RpcException>(() => AttestAsync(node, _ => captured!));

        AssertDenied(ex, "x509pop: the signature does not verify over this attempt's challenge with the node certificate's key");
    }

    [Fact]
    public async Task Attest_SignatureOverWrongNonce_PermissionDenied()
    {
        using var node = _intermediate.IssueSvid("/node1");

        var ex = await Assert.ThrowsAsync<RpcException>(() => AttestAsync(node, nonce => Sign(node.Key, [.. nonce.Reverse()])));

        AssertDenied(ex, "x509pop: the signature does not verify over this attempt's challenge with the node certificate's key");
    }

    [Fact]
    public async Task Attest_UntrustedChain_PermissionDeniedWithoutChallenge()
    {
        using var stranger = TestCa.CreateRoot("nodes.example");
        using var node = stranger.IssueSvid("/node1");

        var ex = await Assert.ThrowsAsync<RpcException>(() => AttestAsync(node, nonce => Sign(node.Key, nonce)));

        AssertDenied(ex, "x509pop: the node certificate does not chain to a CA in x509pop_ca_bundle");
    }

    [Fact]
    public async Task Attest_ExpiredNodeCertificate_PermissionDenied()
    {
        using var node = _intermediate.IssueSvid("/node1", new TestCa.Profile { NotBefore = DateTimeOffset.UtcNow.AddDays(-2), NotAfter = DateTimeOffset.UtcNow.AddDays(-1) });

        var ex = await Assert.ThrowsAsync<RpcException>(() => AttestAsync(node, nonce => Sign(node.Key, nonce)));

        AssertDenied(ex, "x509pop: the node certificate chain is expired or not yet valid");
    }

    [Fact]
    public async Task Attest_ChallengeNotAnswered_PermissionDeniedAsStale()
    {
        using var node = _intermediate.IssueSvid("/node1");

        var ex = await Assert.ThrowsAsync<RpcException>(() => AttestAsync(node, null));

        AssertDenied(ex, "x509pop: the challenge was not answered within 1s");
    }

    private static byte[] Sign(ECDsa key, byte[] nonce) =>
        key.SignData(X509PopProof.SignedData(nonce), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    // Plays the agent: params, then (if a challenge comes) the answer; null answer = stay silent.
    private async Task<AttestResult> AttestAsync(TestCa.Svid node, Func<byte[], byte[]>? answer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var call = _server.NodeClient().Attest(deadline: NodeServer.Deadline);
        await call.RequestStream.WriteAsync(new AttestRequest { Params = new AttestParams { Type = "x509pop", Payload = ByteString.CopyFrom(node.ChainDer), Csr = ByteString.CopyFrom(NodeServer.Csr(key)) } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        if (call.ResponseStream.Current.StepCase == AttestResponse.StepOneofCase.Challenge)
        {
            var nonce = call.ResponseStream.Current.Challenge.Nonce.ToByteArray();
            Assert.Equal(32, nonce.Length);
            if (answer is not null)
            {
                await call.RequestStream.WriteAsync(new AttestRequest { ChallengeResponse = ByteString.CopyFrom(answer(nonce)) });
            }

            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        }

        return call.ResponseStream.Current.Result;
    }

    private void AssertDenied(RpcException ex, string message)
    {
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
        var audited = _server.Audit.Records.Last(r => r.Event.Action == "agent.attest");
        Assert.Equal("denied", audited.Event.Outcome);
        Assert.Equal(message, audited.Event.Reason);
    }
}
