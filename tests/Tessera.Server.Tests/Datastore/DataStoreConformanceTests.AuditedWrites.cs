using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;
using AuditEvent = Tessera.Server.Audit.AuditEvent;
using AuditHead = Tessera.Server.Audit.AuditHead;
using AuditLog = Tessera.Server.Audit.AuditLog;
using DatastoreAuditStore = Tessera.Server.Audit.DatastoreAuditStore;
using FileAuditHeadStore = Tessera.Server.Audit.FileAuditHeadStore;

namespace Tessera.Server.Tests.Datastore;

/// <summary>A state change and its audit records are one transaction: both commit, or neither remains.</summary>
public abstract partial class DataStoreConformanceTests
{
    [Fact]
    public async Task WriteAudited_EntryAndRecords_CommitTogetherAndAdvanceHead()
    {
        using var dir = new TempDirectory();
        var head = new FileAuditHeadStore(Path.Combine(dir.Path, "audit-head"));
        using var log = new AuditLog(new DatastoreAuditStore(Store), head);

        var created = await log.WriteAuditedAsync<RegistrationEntry>(async (writer, token) =>
        {
            var entries = await writer.CreateEntriesAsync([Entry("/web")], token);
            return (entries[0], [Event("entry.create", entries[0].Id), Event("entry.note", entries[0].Id)]);
        }, Ct);

        Assert.Equal(created, await Store.GetEntryAsync(created.Id, Ct), EntryComparer.Instance);
        var records = await Store.ListAuditRecordsAsync(0, 10, Ct);
        Assert.Equal([1L, 2L], records.Select(r => r.Sequence));
        Assert.Equal(["entry.create", "entry.note"], records.Select(r => r.Action));
        Assert.All(records, r => Assert.Equal(created.Id, r.Target));
        Assert.Equal(new AuditHead(2, records[1].Hash), head.Read());
        Assert.True((await log.VerifyAsync(Ct)).Intact);
    }

    [Fact]
    public async Task WriteAudited_WorkThrowsAfterWriting_LeavesNeitherChangesNorRecords()
    {
        using var log = new AuditLog(new DatastoreAuditStore(Store));
        await Store.CreateJoinTokenAsync("tok-kept", null, Clock.GetUtcNow().AddHours(1), Ct);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => log.WriteAuditedAsync<int>(async (writer, token) =>
        {
            await writer.CreateEntriesAsync([Entry("/web")], token);
            await writer.UpsertAgentAsync(Agent("/agent/a"), token);
            Assert.NotNull(await writer.ConsumeJoinTokenAsync("tok-kept", token));
            await writer.SetBundleAsync(TrustDomain.Parse("other.org"), """{"keys":[]}""", token);
            await writer.RecordIssuedSvidsAsync([new IssuedSvid("7f01", Id("/web"), Clock.GetUtcNow().AddHours(1), Id("/agent/a"))], token);
            throw new InvalidOperationException("work failed after writing");
        }, Ct));

        Assert.Equal("work failed after writing", thrown.Message);
        await AssertNothingWrittenAsync();
        Assert.NotNull(await Store.ConsumeJoinTokenAsync("tok-kept", Ct));
    }

    [Fact]
    public async Task WriteAsync_ThrowsAfterAppendingAuditRecord_RollsBackBothAndReleasesTheTail()
    {
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => Store.WriteAsync<int>(async (transaction, token) =>
        {
            await transaction.CreateEntriesAsync([Entry("/web")], token);
            var tail = await transaction.LockAuditTailAsync(token);
            await transaction.AppendAuditRecordsAsync([AuditAfter(tail, "uid:0")], token);
            throw new InvalidOperationException("failed before commit");
        }, Ct));

        Assert.Equal("failed before commit", thrown.Message);
        await AssertNothingWrittenAsync();
        // The tail lock went with the transaction: another writer appends at once.
        var first = AuditAfter(null, "uid:1000");
        await Store.AppendAuditRecordAsync(first, Ct);
        Assert.Equal([first], await Store.ListAuditRecordsAsync(0, 10, Ct));
    }

    [Fact]
    public async Task WriteAudited_DuplicateEntry_ThrowsDuplicateEntryAndWritesNoRecord()
    {
        using var log = new AuditLog(new DatastoreAuditStore(Store));
        await Store.CreateEntryAsync(Entry("/web"), Ct);

        var conflict = await Assert.ThrowsAsync<DataStoreConflictException>(() => log.WriteAuditedAsync<int>(async (writer, token) =>
        {
            await writer.CreateEntriesAsync([Entry("/other"), Entry("/web")], token);
            return (2, [Event("entry.create", "2 entries")]);
        }, Ct));

        Assert.Equal(DataStoreConflict.DuplicateEntry, conflict.Conflict);
        Assert.Equal("an entry with the same SPIFFE ID, parent ID and selectors already exists", conflict.Message);
        Assert.Equal(1, await RawCountAsync("SELECT COUNT(*) FROM entries"));
        Assert.Empty(await Store.ListAuditRecordsAsync(0, 10, Ct));
    }

    [Fact]
    public async Task WriteAudited_TwoStoresAndLogsConcurrently_ChainContiguousUnforkedAndEachWriteAdjacent()
    {
        const int PerWriter = 8;
        await using var second = await OpenAsync();
        using var logA = new AuditLog(new DatastoreAuditStore(Store));
        using var logB = new AuditLog(new DatastoreAuditStore(second));

        async Task WriteManyAsync(AuditLog log, string name)
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await log.WriteAuditedAsync<RegistrationEntry>(async (writer, token) =>
                {
                    var entry = (await writer.CreateEntriesAsync([Entry($"/{name}/{i}")], token))[0];
                    return (entry, [Event("entry.create", entry.Id), Event("entry.note", entry.Id)]);
                }, Ct);
                if (i % 2 == 0)
                {
                    // Plain appends (refusals) interleave with the transactional ones.
                    await log.AppendAsync(Event("entry.list", name), Ct);
                }
            }
        }

        await Task.WhenAll(
            Task.Run(() => WriteManyAsync(logA, "a")),
            Task.Run(() => WriteManyAsync(logB, "b")),
            Task.Run(() => WriteManyAsync(logB, "c")));

        var records = await Store.ListAuditRecordsAsync(0, 1000, Ct);
        var expected = 3 * ((PerWriter * 2) + (PerWriter / 2));
        Assert.Equal(Enumerable.Range(1, expected).Select(i => (long)i), records.Select(r => r.Sequence));
        var verified = await logA.VerifyAsync(Ct);
        Assert.True(verified.Intact, verified.Problem);
        Assert.Equal(expected, verified.RecordsChecked);
        Assert.Equal(3 * PerWriter, await RawCountAsync("SELECT COUNT(*) FROM entries"));
        for (var i = 0; i < records.Count; i++)
        {
            if (records[i].Action == "entry.create")
            {
                // One transaction's records are consecutive: no other writer got in between.
                Assert.Equal("entry.note", records[i + 1].Action);
                Assert.Equal(records[i].Target, records[i + 1].Target);
            }
        }
    }

    private async Task AssertNothingWrittenAsync()
    {
        Assert.Equal(0, await RawCountAsync("SELECT COUNT(*) FROM entries"));
        Assert.Equal(0, await RawCountAsync("SELECT COUNT(*) FROM entry_selectors"));
        Assert.Equal(0, await RawCountAsync("SELECT COUNT(*) FROM agents"));
        Assert.Equal(0, await RawCountAsync("SELECT COUNT(*) FROM bundles"));
        Assert.Equal(0, await RawCountAsync("SELECT COUNT(*) FROM issued_svids"));
        Assert.Equal(0, await RawCountAsync("SELECT COUNT(*) FROM audit_log"));
    }

    private AttestedAgent Agent(string path) => new()
    {
        SpiffeId = Id(path),
        AttestationType = "join_token",
        SvidSerial = "01ab",
        ExpiresAt = Clock.GetUtcNow().AddHours(1),
    };

    private AuditEvent Event(string action, string target) => new(Clock.GetUtcNow(), "uid:0", action, target, "ok", string.Empty);
}
