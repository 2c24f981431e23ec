using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Node.V1;
using Tessera.Server.AdminApi;
using Tessera.Server.Ca;
using Tessera.Server.Revocations;
using Tessera.Server.Tests.NodeApi;

namespace Tessera.Server.Tests.AdminApi;

/// <summary>GetCaKeys, RotateCa, TaintCaKey, RemoveCaKey over the real admin socket; the Sync push; automatic removal; evict's revocations.</summary>
public sealed class CaApiTests : IAsyncLifetime
{
    private NodeServer _server = null!;
    private AgentIdentity _agent = null!;

    public async Task InitializeAsync()
    {
        _server = await NodeServer.StartAsync(options: o => o with { CaReissueDelay = TimeSpan.FromMilliseconds(500) });
        _agent = await _server.AttestAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("", "x509", true, AdminService.CaReasonRequired)]
    [InlineData("drill", "rsa", true, "kind: 'rsa' is not one of x509, jwt, all")]
    [InlineData("drill", "x509", false, "only an emergency rotation can be requested (--now): it activates a new key at once and taints the current one; scheduled rotation needs no command")]
    public async Task RotateCa_BadRequest_InvalidArgumentWithExactMessageAudited(string reason, string kind, bool now, string message)
    {
        var before = _server.Ca.Bundle.Sequence;
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.RotateCaAsync(new RotateCaRequest { Reason = reason, Kind = kind, Now = now }, deadline: NodeServer.Deadline).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, message), (error.StatusCode, error.Status.Detail));
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "ca.rotate" && r.Event.Outcome == "denied" && r.Event.Reason == message);
        Assert.Equal(before, _server.Ca.Bundle.Sequence);
    }

    [Fact]
    public async Task TaintAndRemove_Refusals_ExactStatusAndMessageAudited()
    {
        var active = _server.Ca.X509Keys.Single().KeyId;
        var unknown = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.TaintCaKeyAsync(new TaintCaKeyRequest { KeyId = "x509-nope", Reason = "leak" }, deadline: NodeServer.Deadline).ResponseAsync);
        var noForce = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.RemoveCaKeyAsync(new RemoveCaKeyRequest { KeyId = active, Reason = "leak" }, deadline: NodeServer.Deadline).ResponseAsync);
        var activeKey = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.RemoveCaKeyAsync(new RemoveCaKeyRequest { KeyId = active, Force = true, Reason = "leak" }, deadline: NodeServer.Deadline).ResponseAsync);
        var noReason = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.TaintCaKeyAsync(new TaintCaKeyRequest { KeyId = active }, deadline: NodeServer.Deadline).ResponseAsync);

        Assert.Equal((StatusCode.NotFound, "no CA key 'x509-nope'; `tessera ca show` lists them"), (unknown.StatusCode, unknown.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, "force is required: removing a key from the bundle at once fails every SVID it signed that has not been re-issued yet"), (noForce.StatusCode, noForce.Status.Detail));
        Assert.Equal((StatusCode.FailedPrecondition, $"key '{active}' is the active key and cannot be removed; rotate first (tessera ca rotate --now)"), (activeKey.StatusCode, activeKey.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, AdminService.CaReasonRequired), (noReason.StatusCode, noReason.Status.Detail));
        Assert.Equal(2, _server.Audit.Records.Count(r => r.Event.Action == "ca.key.remove" && r.Event.Outcome == "denied"));
        Assert.Equal(2, _server.Audit.Records.Count(r => r.Event.Action == "ca.taint" && r.Event.Outcome == "denied"));
        Assert.Equal(active, _server.Ca.X509Keys.Single().KeyId);
    }

    [Fact]
    public async Task RotateCa_Now_PushesBundleAndTaintedSet_ShowsPending_RemovedOnceEverythingIsReissued()
    {
        var entry = await _server.CreateEntryAsync("/web", _agent.Id.ToString());
        await SignAsync(entry.Id, _agent);
        var oldSki = CertificateAuthority.AuthorityKeyIdentifier(_agent.Certificate);
        using var call = _server.NodeClient(_agent).Sync(new SyncRequest(), deadline: NodeServer.Deadline);
        var full = await NextAsync(call);
        Assert.Empty(full.Tainted.Authorities);

        var response = await _server.AdminClient.RotateCaAsync(new RotateCaRequest { Kind = "x509", Now = true, Reason = "drill" }, deadline: NodeServer.Deadline);

        var tainted = Assert.Single(response.Tainted);
        var activated = Assert.Single(response.Activated);
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "ca.rotate" && r.Event.Outcome == "ok" && r.Event.Reason == "drill" && r.Event.Target == $"{tainted} tainted, {activated} active");
        var pushed = await NextAsync(call);
        Assert.Equal([("x509", oldSki)], pushed.Tainted.Authorities.Select(a => (a.Kind, a.Identifier)));
        Assert.Equal(500, pushed.Tainted.ReissueDelayMs);
        Assert.Equal(2, Tessera.Spiffe.Bundles.SpiffeBundle.Parse(_server.TrustDomain, pushed.Bundles.Single().Json).X509Bundle.Authorities.Count);
        var shown = await _server.AdminClient.GetCaKeysAsync(new GetCaKeysRequest(), deadline: NodeServer.Deadline);
        var old = shown.Keys.Single(k => k.KeyId == tainted);
        Assert.True(old.Tainted);
        Assert.Equal("old", old.Status);
        Assert.True(old.Pending >= 2, $"pending {old.Pending}: the workload's and the agent's SVIDs await re-issue"); // the server's own may already be done
        Assert.Equal(2, Registry.Current.Crl!.Pem.Split("-----BEGIN X509 CRL-----").Length - 1);

        // Re-issue: the workload's SVID, the agent's own (the server re-issues its own after the delay by itself).
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var renewed = await _server.NodeClient(_agent).RenewAgentAsync(new RenewAgentRequest { Csr = ByteString.CopyFrom(NodeServer.Csr(key)) }, deadline: NodeServer.Deadline);
        var agent = _agent.WithSvid(renewed.SvidChain[0], key);
        var reissued = await SignAsync(entry.Id, agent);
        Assert.NotEqual(oldSki, CertificateAuthority.AuthorityKeyIdentifier(reissued));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        // The reaper removes the key, publishes the bundle, writes the audit record and re-signs the CRLs, in that
        // order: wait for the last step, then check every one.
        bool Reaped() => !_server.Ca.X509Keys.Any(k => k.KeyId == tainted) && _server.Ca.X509Bundle.Authorities.Count == 1
            && _server.Audit.Records.ToArray().Any(r => r.Event.Action == "ca.key.remove" && r.Event.Target == tainted)
            && Registry.Current.Crl!.Pem.Split("-----BEGIN X509 CRL-----").Length == 2;
        while (!Reaped() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.DoesNotContain(_server.Ca.X509Keys, k => k.KeyId == tainted);
        Assert.Single(_server.Ca.X509Bundle.Authorities);
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "ca.key.remove" && r.Event.Caller == "server" && r.Event.Target == tainted && r.Event.Reason.StartsWith("re-issuance complete", StringComparison.Ordinal));
        Assert.Equal(1, Registry.Current.Crl!.Pem.Split("-----BEGIN X509 CRL-----").Length - 1);
    }

    [Fact]
    public async Task TaintCaKey_ActiveJwtKeyWithRemoveNow_RotatesTaintsAndRemovesAudited()
    {
        var active = _server.Ca.JwtKeys.Single().KeyId;

        var response = await _server.AdminClient.TaintCaKeyAsync(new TaintCaKeyRequest { KeyId = active, Reason = "kid leaked", RemoveNow = true }, deadline: NodeServer.Deadline);

        Assert.Equal([active], response.Tainted);
        Assert.Equal([active], response.Removed);
        var now = Assert.Single(response.Activated);
        Assert.Equal([now], _server.Ca.JwtBundle.Authorities.Select(a => a.KeyId));
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "ca.taint" && r.Event.Reason == "kid leaked");
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "ca.key.remove" && r.Event.Target == active && r.Event.Reason == "kid leaked");
    }

    [Fact]
    public async Task EvictAgent_WithReason_ReasonOnTheRevocationsAndTheAuditRecord()
    {
        var entry = await _server.CreateEntryAsync("/web", _agent.Id.ToString());
        await SignAsync(entry.Id, _agent);

        await _server.AdminClient.EvictAgentAsync(new EvictAgentRequest { SpiffeId = _agent.Id.ToString(), Reason = " node re-imaged " }, deadline: NodeServer.Deadline);

        var reasons = (await _server.AdminClient.ListRevocationsAsync(new ListRevocationsRequest(), deadline: NodeServer.Deadline)).Revocations.Select(r => r.Reason).Distinct().ToList();
        Assert.Equal([$"node re-imaged (agent {_agent.Id})"], reasons);
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "agent.evict" && r.Event.Outcome == "ok" && r.Event.Reason == "node re-imaged");
    }

    [Fact]
    public async Task EvictAgent_WithWorkloadSvids_RevokesThemAndTheAgentsOwnInTheCrl()
    {
        var entry = await _server.CreateEntryAsync("/web", _agent.Id.ToString());
        var workload = await SignAsync(entry.Id, _agent);

        var evicted = await _server.AdminClient.EvictAgentAsync(new EvictAgentRequest { SpiffeId = _agent.Id.ToString() }, deadline: NodeServer.Deadline);

        Assert.Equal(1, evicted.RevokedSvids);
        var revoked = (await _server.AdminClient.ListRevocationsAsync(new ListRevocationsRequest(), deadline: NodeServer.Deadline)).Revocations.Select(r => r.Value).ToList();
        Assert.Contains(workload.SerialNumber, revoked);
        Assert.Contains(_agent.Certificate.SerialNumber, revoked);
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "svid.x509.revoke" && r.Event.Reason == $"agent evicted (agent {_agent.Id})");
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "agent.evict" && r.Event.Outcome == "ok");
    }

    private RevocationRegistry Registry => _server.App.Services.GetRequiredService<RevocationRegistry>();

    private async Task<X509Certificate2> SignAsync(string entryId, AgentIdentity agent)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new SignX509SvidsRequest();
        request.Requests.Add(new SvidRequest { EntryId = entryId, Csr = ByteString.CopyFrom(NodeServer.Csr(key)) });
        var response = await _server.NodeClient(agent).SignX509SvidsAsync(request, deadline: NodeServer.Deadline);
        Assert.Equal(string.Empty, response.Results[0].Error);
        return X509CertificateLoader.LoadCertificate(response.Results[0].SvidChain[0].Span);
    }

    private static async Task<SyncResponse> NextAsync(AsyncServerStreamingCall<SyncResponse> call)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        Assert.True(await call.ResponseStream.MoveNext(cts.Token), "the Sync stream ended");
        return call.ResponseStream.Current;
    }
}
