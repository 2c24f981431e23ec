using System.Security.Cryptography;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Node.V1;
using Tessera.Contracts.Transport;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Tests.NodeApi;

/// <summary>Who may call the node API after attestation (RenewAgent as the probe), and which listener serves which API.</summary>
public sealed class AgentAuthenticationTests : IAsyncLifetime
{
    private NodeServer _server = null!;

    public async Task InitializeAsync() => _server = await NodeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task RenewAgent_CurrentSvid_NewSvidBecomesCurrentAndIsAudited()
    {
        var agent = await _server.AttestAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var renewed = await _server.NodeClient(agent).RenewAgentAsync(new RenewAgentRequest { Csr = ByteString.CopyFrom(NodeServer.Csr(key)) }, deadline: NodeServer.Deadline);

        var next = agent.WithSvid(renewed.SvidChain[0], key);
        Assert.True(X509SvidVerifier.Verify([next.Certificate], _server.Ca.Bundle, TimeProvider.System).IsValid);
        Assert.Equal(agent.Id, X509SvidVerifier.Verify([next.Certificate], _server.Ca.Bundle, TimeProvider.System).Id);
        var record = await _server.Store.GetAgentAsync(agent.Id, CancellationToken.None);
        Assert.Equal(next.Certificate.SerialNumber, record!.SvidSerial);
        Assert.Equal(agent.Certificate.SerialNumber, record.PreviousSvidSerial);
        Assert.Equal("ok", Assert.Single(_server.Audit.Records, r => r.Event.Action == "agent.renew").Event.Outcome);

        // The new SVID works; so does the old one during the grace (a lost response must not strand the agent).
        await _server.NodeClient(next).ReportEventsAsync(new ReportEventsRequest(), deadline: NodeServer.Deadline);
        await _server.NodeClient(agent).ReportEventsAsync(new ReportEventsRequest(), deadline: NodeServer.Deadline);
    }

    [Fact]
    public async Task RenewAgent_PreviousSvidAfterGrace_PermissionDeniedSuperseded()
    {
        var agent = await _server.AttestAsync();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await _server.NodeClient(agent).RenewAgentAsync(new RenewAgentRequest { Csr = ByteString.CopyFrom(NodeServer.Csr(key)) }, deadline: NodeServer.Deadline);
        var record = await _server.Store.GetAgentAsync(agent.Id, CancellationToken.None);
        await _server.Store.UpsertAgentAsync(record! with { PreviousSvidGraceUntil = DateTimeOffset.UtcNow.AddSeconds(-1) }, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _server.NodeClient(agent).RenewAgentAsync(new RenewAgentRequest { Csr = ByteString.CopyFrom(NodeServer.Csr(key)) }, deadline: NodeServer.Deadline));

        AssertDenied(ex, "agent SVID has been superseded by a newer one: use the current SVID or attest again", "agent.renew");
    }

    [Fact]
    public async Task RenewAgent_BannedAgent_PermissionDenied()
    {
        var agent = await _server.AttestAsync();
        await _server.AdminClient.BanAgentAsync(new BanAgentRequest { SpiffeId = agent.Id.ToString() }, deadline: NodeServer.Deadline);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Renew(agent));

        AssertDenied(ex, "agent is banned", "agent.renew");
    }

    [Fact]
    public async Task RenewAgent_BannedAfterAuthentication_PermissionDeniedAndBanKept()
    {
        var agent = await _server.AttestAsync();
        _server.Audit.BeforeNextWrite = async () =>
        {
            var record = await _server.Store.GetAgentAsync(agent.Id, CancellationToken.None);
            await _server.Store.UpsertAgentAsync(record! with { Banned = true }, CancellationToken.None);
        };

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Renew(agent));

        AssertDenied(ex, "agent is banned", "agent.renew");
        var kept = await _server.Store.GetAgentAsync(agent.Id, CancellationToken.None);
        Assert.True(kept!.Banned);
        Assert.Equal(agent.Certificate.SerialNumber, kept.SvidSerial);
    }

    [Fact]
    public async Task RenewAgent_EvictedAfterAuthentication_PermissionDeniedAndNotResurrected()
    {
        var agent = await _server.AttestAsync();
        _server.Audit.BeforeNextWrite = () => _server.Store.DeleteAgentAsync(agent.Id, CancellationToken.None);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Renew(agent));

        AssertDenied(ex, "agent is not attested (evicted?): attest again", "agent.renew");
        Assert.Null(await _server.Store.GetAgentAsync(agent.Id, CancellationToken.None));
    }

    [Fact]
    public async Task RenewAgent_EvictedAgent_PermissionDeniedAttestAgain()
    {
        var agent = await _server.AttestAsync();
        await _server.AdminClient.EvictAgentAsync(new EvictAgentRequest { SpiffeId = agent.Id.ToString() }, deadline: NodeServer.Deadline);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await Renew(agent));

        AssertDenied(ex, "agent is not attested (evicted?): attest again", "agent.renew");
    }

    [Fact]
    public async Task RenewAgent_NoClientCertificate_Unauthenticated()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _server.NodeClient().RenewAgentAsync(new RenewAgentRequest { Csr = ByteString.CopyFrom(NodeServer.Csr(key)) }, deadline: NodeServer.Deadline));

        AssertDenied(ex, "a client certificate (the agent SVID) is required; attest first", "agent.renew", StatusCode.Unauthenticated);
    }

    [Fact]
    public async Task RenewAgent_CertificateFromAnotherCa_PermissionDenied()
    {
        using var foreign = TestCa.CreateRoot("example.org");
        using var svid = foreign.IssueSvid("/tessera/agent/join_token/abc");
        using var certificate = System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.CopyWithPrivateKey(svid.Leaf, svid.Key);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _server.NodeClient(certificate).ReportEventsAsync(new ReportEventsRequest(), deadline: NodeServer.Deadline));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.StartsWith("agent SVID does not verify against this server's bundle: ", ex.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WorkloadSvidOfAnEntry_IsNotAnAgentSvid()
    {
        // An SVID the CA issued for a workload verifies against the bundle, but names no attested agent.
        var agent = await _server.AttestAsync();
        var entry = await _server.CreateEntryAsync("/web", agent.Id.ToString());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new SignX509SvidsRequest();
        request.Requests.Add(new SvidRequest { EntryId = entry.Id, Csr = ByteString.CopyFrom(NodeServer.Csr(key)) });
        var signed = await _server.NodeClient(agent).SignX509SvidsAsync(request, deadline: NodeServer.Deadline);
        var workload = agent.WithSvid(signed.Results[0].SvidChain[0], key);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _server.NodeClient(workload).ReportEventsAsync(new ReportEventsRequest(), deadline: NodeServer.Deadline));

        AssertDenied(ex, "agent is not attested (evicted?): attest again", "agent.report");
    }

    [Fact]
    public async Task AdminApi_OnTheAgentPort_PermissionDenied()
    {
        var agent = await _server.AttestAsync();
        var admin = new Admin.AdminClient(_server.NodeChannel(agent.Certificate));

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await admin.ListAgentsAsync(new ListAgentsRequest(), deadline: NodeServer.Deadline));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("the admin API is served only on the admin socket", ex.Status.Detail);
        Assert.DoesNotContain(_server.Audit.Records, r => r.Event.Action == "agent.list");
    }

    [Fact]
    public async Task NodeApi_OnTheAdminSocket_PermissionDenied()
    {
        using var channel = UnixSocketChannel.Create(_server.Options.AdminSocket);
        var token = await _server.GenerateTokenAsync();

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await new Node.NodeClient(channel).ReportEventsAsync(new ReportEventsRequest(), deadline: NodeServer.Deadline));
        using var attest = new Node.NodeClient(channel).Attest(deadline: NodeServer.Deadline);

        // The server may refuse the call before the first message is written. The write then fails with whatever
        // the client makes of a finished call (seen: Cancelled), and the server's status is on the response
        // stream, which is where it is read from in every case.
        try
        {
            await attest.RequestStream.WriteAsync(new AttestRequest { Params = new AttestParams { Type = "join_token", Payload = ByteString.CopyFromUtf8(token) } });
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException)
        {
            // The call was already refused; its status is read below.
        }

        var attestEx = await Assert.ThrowsAsync<RpcException>(() => attest.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode);
        Assert.Equal("the node API is served only on the agent port", ex.Status.Detail);
        Assert.Equal(StatusCode.PermissionDenied, attestEx.StatusCode);
        Assert.Equal("the node API is served only on the agent port", attestEx.Status.Detail);
        Assert.Empty(await _server.Store.ListAgentsAsync(CancellationToken.None));
    }

    private async Task<RenewAgentResponse> Renew(AgentIdentity agent)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return await _server.NodeClient(agent).RenewAgentAsync(new RenewAgentRequest { Csr = ByteString.CopyFrom(NodeServer.Csr(key)) }, deadline: NodeServer.Deadline);
    }

    private void AssertDenied(RpcException ex, string message, string action, StatusCode status = StatusCode.PermissionDenied)
    {
        Assert.Equal(status, ex.StatusCode);
        Assert.Equal(message, ex.Status.Detail);
        var audited = _server.Audit.Records.Last(r => r.Event.Action == action);
        Assert.Equal("denied", audited.Event.Outcome);
        Assert.Equal(message, audited.Event.Reason);
    }
}
