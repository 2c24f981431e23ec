using Grpc.Core;
using Tessera.Contracts.Node.V1;

namespace Tessera.Server.Tests.NodeApi;

/// <summary>The server's own SVID on the agent port: issued at start, re-issued at half-life, picked per handshake.</summary>
public sealed class ServerSvidTests
{
    [Fact]
    public async Task ServerSvid_AfterHalfLife_NewHandshakesGetReissuedSvidWithoutRestart()
    {
        // A 12-second SVID (the CA allows up to ca_ttl / 6) re-issues after 6 seconds: a re-issue late by 6 s on a
        // loaded machine is still in time for the probes' handshakes.
        await using var server = await NodeServer.StartAsync(options: o => o with { CaTtl = TimeSpan.FromMinutes(2), X509SvidTtl = TimeSpan.FromSeconds(12), JwtSvidTtl = TimeSpan.FromSeconds(5) });
        await ProbeAsync(server);
        var first = server.ServerSerialsSeen.Last();

        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (server.ServerSerialsSeen.Last() == first && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            await ProbeAsync(server);
        }

        Assert.NotEqual(first, server.ServerSerialsSeen.Last());
        var issued = server.Audit.Records.Where(r => r.Event.Action == "svid.server.issue").ToList();
        Assert.True(issued.Count >= 2, $"{issued.Count} server SVID issuances audited");
        Assert.All(issued, r => Assert.StartsWith("spiffe://example.org/tessera/server serial ", r.Event.Target, StringComparison.Ordinal));
        Assert.Null((await server.Store.GetIssuedSvidAsync(first, CancellationToken.None))!.IssuedTo);
    }

    // One call on a fresh channel (a fresh TLS handshake); the client's check of the server SVID runs in it.
    private static async Task ProbeAsync(NodeServer server)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(async () => await server.NodeClient().RenewAgentAsync(new RenewAgentRequest(), deadline: NodeServer.Deadline));
        Assert.Equal(StatusCode.Unauthenticated, ex.StatusCode);
    }
}
