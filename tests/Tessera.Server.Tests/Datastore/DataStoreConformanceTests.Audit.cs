using System.Security.Cryptography;
using System.Text;
using Tessera.Server.Datastore;

namespace Tessera.Server.Tests.Datastore;

public abstract partial class DataStoreConformanceTests
{
    [Fact]
    public async Task AppendAuditRecord_ExtendsTail_IsListedInOrder()
    {
        Assert.Null(await Store.GetAuditTailAsync(Ct));
        var first = AuditAfter(null, "uid:0");
        await Store.AppendAuditRecordAsync(first, Ct);
        var second = AuditAfter(first, "uid:1000");
        await Store.AppendAuditRecordAsync(second, Ct);

        Assert.Equal(second, await Store.GetAuditTailAsync(Ct));
        Assert.Equal([first, second], await Store.ListAuditRecordsAsync(0, 10, Ct));
        Assert.Equal([second], await Store.ListAuditRecordsAsync(1, 10, Ct));
    }

    [Fact]
    public async Task AppendAuditRecord_WrongPrevHashOrSequence_ThrowsTailConflictAndWritesNothing()
    {
        var first = AuditAfter(null, "uid:0");
        await Store.AppendAuditRecordAsync(first, Ct);
        var next = AuditAfter(first, "uid:0");

        var wrongHash = await Assert.ThrowsAsync<DataStoreConflictException>(() =>
            Store.AppendAuditRecordAsync(next with { PrevHash = new string('0', 64) }, Ct));
        var gap = await Assert.ThrowsAsync<DataStoreConflictException>(() =>
            Store.AppendAuditRecordAsync(next with { Sequence = 3 }, Ct));
        var fork = await Assert.ThrowsAsync<DataStoreConflictException>(() =>
            Store.AppendAuditRecordAsync(first with { Hash = "other" }, Ct));

        Assert.All(new[] { wrongHash, gap, fork }, e => Assert.Equal(DataStoreConflict.AuditTail, e.Conflict));
        Assert.Equal("audit record 2 does not extend the log tail (sequence 1): another record was appended first; recompute against the new tail and retry",
            wrongHash.Message);
        Assert.Equal([first], await Store.ListAuditRecordsAsync(0, 10, Ct));
    }

    [Fact]
    public async Task AppendAuditRecord_ConcurrentWritersRetrying_GapFreeUnforkedChain()
    {
        const int Writers = 6;
        const int PerWriter = 5;

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await AppendWithRetryAsync($"writer-{w}");
            }
        })));

        var records = await Store.ListAuditRecordsAsync(0, 1000, Ct);
        Assert.Equal(Enumerable.Range(1, Writers * PerWriter).Select(i => (long)i), records.Select(r => r.Sequence));
        for (var i = 1; i < records.Count; i++)
        {
            Assert.Equal(records[i - 1].Hash, records[i].PrevHash);
        }
    }

    private async Task AppendWithRetryAsync(string caller)
    {
        while (true)
        {
            var record = AuditAfter(await Store.GetAuditTailAsync(Ct), caller);
            try
            {
                await Store.AppendAuditRecordAsync(record, Ct);
                return;
            }
            catch (DataStoreConflictException e) when (e.Conflict == DataStoreConflict.AuditTail)
            {
                // Lost the race: recompute against the new tail.
            }
        }
    }

    private AuditRecord AuditAfter(AuditRecord? tail, string caller)
    {
        var sequence = (tail?.Sequence ?? 0) + 1;
        var prevHash = tail?.Hash ?? string.Empty;
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{prevHash}|{sequence}|{caller}")));
        return new AuditRecord
        {
            Sequence = sequence,
            Time = Clock.GetUtcNow(),
            Caller = caller,
            Action = "entry.create",
            Target = "spiffe://example.org/web",
            Outcome = "ok",
            PrevHash = prevHash,
            Hash = hash,
        };
    }
}
