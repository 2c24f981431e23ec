using System.Security.Cryptography;
using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.NodeApi;

/// <summary>
/// The admin and node write paths commit the state change and its audit record in one transaction: when the
/// transaction fails before commit the caller gets the datastore error and neither the change nor the record remains.
/// </summary>
public sealed class AuditedWritePathTests : IAsyncLifetime
{
    private const string Outage = "SQLite database 'store.sqlite3' is unavailable: disk I/O error";
    private NodeServer _server = null!;

    public async Task InitializeAsync() => _server = await NodeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task CreateEntries_TransactionFailsBeforeCommit_UnavailableNoEntryNoRecord()
    {
        _server.Audit.FailNextWriteBeforeCommit = new DataStoreUnavailableException(Outage);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.CreateEntryAsync("/web", "spiffe://example.org/agent/a"));

        AssertUnavailable(ex);
        Assert.Equal(0, await _server.Store.CountEntriesAsync(Tessera.Server.Datastore.EntryFilter.All, CancellationToken.None));
        Assert.DoesNotContain(_server.Audit.Records, r => r.Event.Action == "entry.create");
    }

    [Fact]
    public async Task BanAgent_TransactionFailsBeforeCommit_UnavailableNotBannedNoRecord()
    {
        var agent = await _server.AttestAsync();
        _server.Audit.FailNextWriteBeforeCommit = new DataStoreUnavailableException(Outage);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _server.AdminClient.BanAgentAsync(new BanAgentRequest { SpiffeId = agent.Id.ToString() }, deadline: NodeServer.Deadline));

        AssertUnavailable(ex);
        Assert.False((await _server.Store.GetAgentAsync(agent.Id, CancellationToken.None))!.Banned);
        Assert.DoesNotContain(_server.Audit.Records, r => r.Event.Action == "agent.ban");
    }

    [Fact]
    public async Task Attest_TransactionFailsBeforeCommit_UnavailableTokenUnspentAgentUnrecorded()
    {
        var token = await _server.GenerateTokenAsync("spiffe://example.org/nodes/n1");
        _server.Audit.FailNextWriteBeforeCommit = new DataStoreUnavailableException(Outage);

        var ex = await Assert.ThrowsAsync<RpcException>(() => _server.AttestAsync(token));

        AssertUnavailable(ex);
        var agentId = SpiffeId.Parse("spiffe://example.org/nodes/n1");
        Assert.Null(await _server.Store.GetAgentAsync(agentId, CancellationToken.None));
        Assert.DoesNotContain(_server.Audit.Records, r => r.Event.Action == "agent.attest");

        // The token was consumed only inside the rolled-back transaction: it still attests.
        var agent = await _server.AttestAsync(token);
        Assert.Equal(agentId, agent.Id);
        Assert.Equal(agent.Certificate.SerialNumber, (await _server.Store.GetAgentAsync(agentId, CancellationToken.None))!.SvidSerial);
    }

    [Fact]
    public async Task RenewAgent_TransactionFailsBeforeCommit_UnavailableSerialUnchangedNoRecord()
    {
        var agent = await _server.AttestAsync();
        _server.Audit.FailNextWriteBeforeCommit = new DataStoreUnavailableException(Outage);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await _server.NodeClient(agent).RenewAgentAsync(
            new Contracts.Node.V1.RenewAgentRequest { Csr = Google.Protobuf.ByteString.CopyFrom(NodeServer.Csr(key)) }, deadline: NodeServer.Deadline));

        AssertUnavailable(ex);
        Assert.Equal(agent.Certificate.SerialNumber, (await _server.Store.GetAgentAsync(agent.Id, CancellationToken.None))!.SvidSerial);
        Assert.DoesNotContain(_server.Audit.Records, r => r.Event.Action == "agent.renew");
    }

    private static void AssertUnavailable(RpcException ex)
    {
        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        Assert.Equal($"datastore unavailable: {Outage}", ex.Status.Detail);
    }
}
