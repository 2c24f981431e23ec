using System.Diagnostics;
using System.Security.Cryptography;
using Google.Protobuf;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Node.V1;
using Xunit.Abstractions;

namespace Tessera.Server.Tests.NodeApi;

/// <summary>An agent authorised for 10,000 entries: the snapshot holds them all and signing uses the cached set. Timings are printed, not asserted.</summary>
[Collection(HeavyTests.Name)]
public sealed class LargeAgentTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Entries = 10_000;
    private NodeServer _server = null!;

    public async Task InitializeAsync() => _server = await NodeServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Agent10000Entries_SnapshotHasAllAndEveryEntrySigns()
    {
        var agent = await _server.AttestAsync();
        var watch = Stopwatch.StartNew();
        for (var batch = 0; batch < Entries / 500; batch++)
        {
            var request = new CreateEntriesRequest();
            for (var i = 0; i < 500; i++)
            {
                var entry = new Entry { SpiffeId = $"spiffe://example.org/w/{batch}/{i}", ParentId = agent.Id.ToString(), Owner = "t" };
                entry.Selectors.Add(new Tessera.Contracts.Admin.V1.Selector { Type = "unix", Value = $"uid:{i}" });
                request.Entries.Add(entry);
            }

            await _server.AdminClient.CreateEntriesAsync(request, deadline: DateTime.UtcNow.AddMinutes(2));
        }

        output.WriteLine($"created {Entries} entries in {watch.ElapsedMilliseconds} ms");
        var client = _server.NodeClient(agent);
        watch.Restart();
        using var sync = client.Sync(new SyncRequest(), deadline: DateTime.UtcNow.AddMinutes(2));
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        Assert.True(await sync.ResponseStream.MoveNext(cts.Token));
        var snapshot = sync.ResponseStream.Current;
        output.WriteLine($"full snapshot of {snapshot.Entries.Count} entries ({snapshot.CalculateSize()} bytes) in {watch.ElapsedMilliseconds} ms");
        Assert.True(snapshot.Full);
        Assert.Equal(Entries, snapshot.Entries.Count);

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = ByteString.CopyFrom(NodeServer.Csr(key));
        var signed = 0;
        watch.Restart();
        foreach (var chunk in snapshot.Entries.Chunk(1000))
        {
            var request = new SignX509SvidsRequest();
            request.Requests.AddRange(chunk.Select(e => new SvidRequest { EntryId = e.Id, Csr = csr }));
            var response = await client.SignX509SvidsAsync(request, deadline: DateTime.UtcNow.AddMinutes(2));
            signed += response.Results.Count(r => r.Error.Length == 0);
        }

        output.WriteLine($"signed {signed} X509-SVIDs in 10 batches in {watch.ElapsedMilliseconds} ms");
        Assert.Equal(Entries, signed);
        Assert.Equal(Entries, _server.Audit.Records.Count(r => r.Event.Action == "svid.x509.sign"));
    }
}
