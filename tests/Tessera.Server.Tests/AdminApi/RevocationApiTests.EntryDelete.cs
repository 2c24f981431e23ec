using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Node.V1;
using Tessera.Server.AdminApi;
using Tessera.Server.Tests.NodeApi;

namespace Tessera.Server.Tests.AdminApi;

/// <summary><c>DeleteEntry</c> with <c>revoke</c>: the entry goes and what was issued for its SPIFFE ID is revoked, in one transaction.</summary>
public sealed partial class RevocationApiTests
{
    [Fact]
    public async Task DeleteEntry_WithRevoke_DeletesAndRevokesEveryCurrentSvidAndTheJwtsOfItsIdentity()
    {
        var entry = await _server.CreateEntryAsync("/leaving", _agent.Id.ToString());
        var (first, second) = (await SignAsync(entry.Id), await SignAsync(entry.Id));
        using var call = _server.NodeClient(_agent).Sync(new SyncRequest(), deadline: NodeServer.Deadline);
        Assert.Empty((await NextAsync(call)).Revocations);

        var response = await _server.AdminClient.DeleteEntryAsync(new DeleteEntryRequest { Id = entry.Id, Revoke = true, Reason = "INC-7: host compromised" }, deadline: NodeServer.Deadline);

        Assert.Equal(
            new[] { ("jwt_before", "spiffe://example.org/leaving"), ("x509", first.SerialNumber), ("x509", second.SerialNumber) }.Order(),
            response.Revocations.Select(r => (r.Kind, r.Value)).Order());
        Assert.All(response.Revocations, r => Assert.Equal("INC-7: host compromised", r.Reason));
        Assert.Null(await _server.Store.GetEntryAsync(entry.Id, CancellationToken.None));
        var pushed = await NextAsync(call);
        Assert.Equal(new[] { first.SerialNumber, second.SerialNumber }.Order(StringComparer.Ordinal), pushed.Revocations.Where(r => r.Kind == "x509").Select(r => r.Value).Order(StringComparer.Ordinal));
        Assert.Single(_server.Audit.Records, r => r.Event.Action == "entry.delete" && r.Event.Outcome == "ok" && r.Event.Target == $"{entry.Id} (spiffe://example.org/leaving), revoking what was issued for it");
        Assert.Equal(2, _server.Audit.Records.Count(r => r.Event.Action == "svid.x509.revoke" && r.Event.Outcome == "ok" && r.Event.Reason == "INC-7: host compromised"));
        Assert.Single(_server.Audit.Records, r => r.Event.Action == "svid.jwt.revoke" && r.Event.Target.StartsWith("spiffe://example.org/leaving tokens issued before ", StringComparison.Ordinal));
        Assert.Contains(first.SerialNumber, (IReadOnlySet<string>)Registry.Current.X509Serials);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public async Task DeleteEntry_RevokeWithoutReason_InvalidArgumentAndTheEntryStays(string reason)
    {
        var entry = await _server.CreateEntryAsync("/staying", _agent.Id.ToString());

        var error = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.DeleteEntryAsync(
            new DeleteEntryRequest { Id = entry.Id, Revoke = true, Reason = reason }, deadline: NodeServer.Deadline).ResponseAsync);

        Assert.Equal((StatusCode.InvalidArgument, AdminService.ReasonRequired), (error.StatusCode, error.Status.Detail));
        Assert.NotNull(await _server.Store.GetEntryAsync(entry.Id, CancellationToken.None));
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "entry.delete" && r.Event.Outcome == "denied" && r.Event.Reason == AdminService.ReasonRequired);
    }

    [Fact]
    public async Task DeleteEntry_RevokeUnknownEntry_NotFoundAndNothingRevoked()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => _server.AdminClient.DeleteEntryAsync(
            new DeleteEntryRequest { Id = "no-such-entry", Revoke = true, Reason = "cleanup" }, deadline: NodeServer.Deadline).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Empty((await _server.AdminClient.ListRevocationsAsync(new ListRevocationsRequest(), deadline: NodeServer.Deadline)).Revocations);
        Assert.Contains(_server.Audit.Records, r => r.Event.Action == "entry.delete" && r.Event.Outcome == "error" && r.Event.Target == "no-such-entry");
    }
}
