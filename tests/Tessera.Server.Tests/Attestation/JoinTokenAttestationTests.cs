using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Server.Datastore.Internal;
using Tessera.Server.Tests.NodeApi;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Tests.Attestation;

/// <summary>join_token attestation over a real TLS gRPC Attest stream.</summary>
public sealed class JoinTokenAttestationTests : IAsyncLifetime
{
    private NodeServer _server = null!;

    public async Task InitializeAsync() => _server = await NodeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Attest_ValidToken_IssuesVerifiableAgentSvidRecordsAndAudits()
    {
        var generated = await _server.AdminClient.GenerateJoinTokenAsync(new GenerateJoinTokenRequest(), deadline: NodeServer.Deadline);

        var agent = await _server.AttestAsync(generated.Token);

        var expectedId = $"spiffe://example.org/tessera/agent/join_token/{JoinTokenHash.Compute(generated.Token)[..32]}";
        Assert.Equal(expectedId, agent.Id.ToString());
        Assert.Equal(expectedId, generated.AgentSpiffeId);
        var verified = X509SvidVerifier.Verify([agent.Certificate], agent.Bundle, TimeProvider.System);
        Assert.True(verified.IsValid, verified.Message);
        Assert.Equal(agent.Id, verified.Id);
        var record = await _server.Store.GetAgentAsync(agent.Id, CancellationToken.None);
        Assert.NotNull(record);
        Assert.Equal("join_token", record.AttestationType);
        Assert.Equal(agent.Certificate.SerialNumber, record.SvidSerial);
        Assert.False(record.Banned);
        Assert.Equal(agent.Id, (await _server.Store.GetIssuedSvidAsync(agent.Certificate.SerialNumber, CancellationToken.None))!.SpiffeId);
        var audited = Assert.Single(_server.Audit.Records, r => r.Event.Action == "agent.attest");
        Assert.Equal("ok", audited.Event.Outcome);
        Assert.StartsWith($"{expectedId} (join_token) serial ", audited.Event.Target, StringComparison.Ordinal);
        Assert.DoesNotContain(generated.Token, string.Concat(_server.Audit.Records.Select(r => r.Event.Target + r.Event.Reason)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attest_TokenGeneratedWithSpiffeId_AgentGetsThatId()
    {
        var token = await _server.GenerateTokenAsync("spiffe://example.org/nodes/rack7");

        var agent = await _server.AttestAsync(token);

        Assert.Equal("spiffe://example.org/nodes/rack7", agent.Id.ToString());
    }

    [Fact]
    public async Task Attest_ReusedToken_PermissionDeniedAndAudited()
    {
        var token = await _server.GenerateTokenAsync();
        await _server.AttestAsync(token);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.AttestAsync(token));

        AssertDenied(ex, "join token is invalid, expired or already used");
    }

    [Fact]
    public async Task Attest_WrongToken_PermissionDeniedAndAudited()
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.AttestAsync("not-a-token-anyone-generated"));

        AssertDenied(ex, "join token is invalid, expired or already used");
    }

    [Fact]
    public async Task Attest_ExpiredToken_PermissionDeniedAndAudited()
    {
        await _server.Store.CreateJoinTokenAsync("expired-token", null, DateTimeOffset.UtcNow.AddSeconds(-1), CancellationToken.None);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.AttestAsync("expired-token"));

        AssertDenied(ex, "join token is invalid, expired or already used");
    }

    [Fact]
    public async Task Attest_BannedAgentsId_PermissionDenied()
    {
        var agent = await _server.AttestAsync(await _server.GenerateTokenAsync("spiffe://example.org/nodes/n1"));
        await _server.AdminClient.BanAgentAsync(new BanAgentRequest { SpiffeId = agent.Id.ToString() }, deadline: NodeServer.Deadline);
        var second = await _server.GenerateTokenAsync("spiffe://example.org/nodes/n1");

        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.AttestAsync(second));

        AssertDenied(ex, "agent is banned");
    }

    [Fact]
    public async Task Attest_BadCsr_InvalidArgumentAndTokenNotBurnt()
    {
        var token = await _server.GenerateTokenAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.AttestAsync("join_token", Encoding.UTF8.GetBytes(token), [0x30, 0x03, 0x02, 0x01, 0x00]));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("csr: CSR is not a valid PKCS#10 request", ex.Status.Detail);
        Assert.Equal("join_token", (await _server.AttestAsync(token)).Id.Path.Split('/')[3]);
    }

    [Fact]
    public async Task Attest_UnknownType_InvalidArgument()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.AttestAsync("tpm", [1], NodeServer.Csr(key)));

        Assert.Equal(StatusCode.InvalidArgument, ex.StatusCode);
        Assert.Equal("unknown attestation type 'tpm'; this server offers join_token", ex.Status.Detail);
    }

    [Fact]
    public async Task Attest_X509PopNotConfigured_PermissionDenied()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.AttestAsync("x509pop", [1], NodeServer.Csr(key)));

        AssertDenied(ex, "x509pop attestation is not enabled on this server (the operator must set x509pop_ca_bundle)");
    }

    private void AssertDenied(RpcException ex, string message)
    {
        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
        var audited = _server.Audit.Records.Last(r => r.Event.Action == "agent.attest");
        Assert.Equal("denied", audited.Event.Outcome);
        Assert.Equal(message, audited.Event.Reason);
        Assert.StartsWith("node at ipv4:127.0.0.1:", audited.Event.Caller, StringComparison.Ordinal);
    }
}
