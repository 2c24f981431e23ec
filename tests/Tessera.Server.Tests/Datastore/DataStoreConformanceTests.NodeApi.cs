using Tessera.Server.Datastore;

namespace Tessera.Server.Tests.Datastore;

/// <summary>The datastore pieces the node API added: the previous agent SVID serial, batch SVID records, batch audit appends.</summary>
public abstract partial class DataStoreConformanceTests
{
    [Fact]
    public async Task Agents_PreviousSerialAndGrace_RoundTrip()
    {
        var agent = new AttestedAgent
        {
            SpiffeId = Id("/tessera/agent/x509pop/ab"),
            AttestationType = "x509pop",
            SvidSerial = "02",
            ExpiresAt = Clock.GetUtcNow().AddHours(1),
            PreviousSvidSerial = "01",
            PreviousSvidGraceUntil = Clock.GetUtcNow().AddMinutes(5),
        };

        await Store.UpsertAgentAsync(agent, Ct);

        var read = await Store.GetAgentAsync(agent.SpiffeId, Ct);
        Assert.Equal("01", read!.PreviousSvidSerial);
        Assert.Equal(agent.PreviousSvidGraceUntil, read.PreviousSvidGraceUntil);
    }

    [Fact]
    public async Task RecordIssuedSvids_Batch_AllReadable()
    {
        var svids = Enumerable.Range(0, 50).Select(i => new IssuedSvid($"aa{i:x4}", Id($"/w/{i}"), Clock.GetUtcNow().AddHours(1), Id("/agent/a"))).ToArray();

        await Store.RecordIssuedSvidsAsync(svids, Ct);

        Assert.Equal(svids[49], await Store.GetIssuedSvidAsync("aa0031", Ct));
        Assert.Equal(svids[0], await Store.GetIssuedSvidAsync("aa0000", Ct));
    }

    [Fact]
    public async Task AppendAuditRecords_Batch_ExtendsTailInOneGo()
    {
        var first = AuditAfter(null, "uid:0");
        await Store.AppendAuditRecordAsync(first, Ct);
        var second = AuditAfter(first, "agent a");
        var third = AuditAfter(second, "agent a");

        await Store.AppendAuditRecordsAsync([second, third], Ct);

        Assert.Equal([first, second, third], await Store.ListAuditRecordsAsync(0, 10, Ct));
    }

    [Fact]
    public async Task AppendAuditRecords_StaleTail_ConflictAndNothingWritten()
    {
        var first = AuditAfter(null, "uid:0");
        var second = AuditAfter(first, "agent a");
        await Store.AppendAuditRecordAsync(first, Ct);
        await Store.AppendAuditRecordAsync(second, Ct);
        var staleThird = AuditAfter(first, "agent b");
        var staleFourth = AuditAfter(staleThird, "agent b");

        var ex = await Assert.ThrowsAsync<DataStoreConflictException>(() => Store.AppendAuditRecordsAsync([staleThird, staleFourth], Ct));

        Assert.Equal(DataStoreConflict.AuditTail, ex.Conflict);
        Assert.Equal([first, second], await Store.ListAuditRecordsAsync(0, 10, Ct));
    }

    [Fact]
    public async Task AppendAuditRecords_BatchNotLinked_ThrowsArgumentException()
    {
        var first = AuditAfter(null, "uid:0");
        var unlinked = AuditAfter(null, "uid:1") with { Sequence = 2 };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => Store.AppendAuditRecordsAsync([first, unlinked], Ct));

        Assert.StartsWith("audit record 2 does not link to the record before it in the batch", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await Store.ListAuditRecordsAsync(0, 10, Ct));
    }
}
