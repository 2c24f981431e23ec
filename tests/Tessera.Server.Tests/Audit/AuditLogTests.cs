using Tessera.Server.Audit;

namespace Tessera.Server.Tests.Audit;

public sealed class AuditLogTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly InMemoryAuditStore _store = new();
    private readonly AuditLog _log;

    public AuditLogTests()
    {
        _log = new AuditLog(_store);
    }

    public void Dispose() => _log.Dispose();

    [Fact]
    public async Task Append_FiveEvents_ChainVerifiesIntact()
    {
        await AppendAsync(5);

        var result = await _log.VerifyAsync(CancellationToken.None);

        Assert.True(result.Intact, result.Problem);
        Assert.Equal(5, result.RecordsChecked);
        Assert.Equal(AuditChain.GenesisHash, _store.Records[0].PreviousHash);
        Assert.Equal(_store.Records[0].Hash, _store.Records[1].PreviousHash);
    }

    [Fact]
    public async Task Verify_EditedRecord_ReportsItModified()
    {
        await AppendAsync(5);
        var original = _store.Records[2];
        _store.Records[2] = original with { Event = original.Event with { Outcome = "ok" , Reason = "edited" } };

        var result = await _log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Equal("record 3 was modified after it was written (its hash does not match its contents)", result.Problem);
    }

    [Fact]
    public async Task Verify_EditedRecordWithRecomputedHash_ReportsNextRecordUnlinked()
    {
        await AppendAsync(5);
        var original = _store.Records[2];
        var forgedEvent = original.Event with { Caller = "uid:0" };
        _store.Records[2] = AuditChain.Link(3, forgedEvent, original.PreviousHash);

        var result = await _log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadSequence);
        Assert.Equal("record 4 does not link to record 3 (a record before it was replaced)", result.Problem);
    }

    [Fact]
    public async Task Verify_DeletedRecord_ReportsGap()
    {
        await AppendAsync(5);
        _store.Records.RemoveAt(1);

        var result = await _log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Equal("records 2..2 are missing (deleted)", result.Problem);
    }

    [Fact]
    public async Task Verify_SwappedRecords_ReportsOutOfOrder()
    {
        await AppendAsync(4);
        (_store.Records[1], _store.Records[2]) = (_store.Records[2], _store.Records[1]);

        var result = await _log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(3, result.FirstBadSequence);
        Assert.Equal("records 2..2 are missing (deleted)", result.Problem);
    }

    [Fact]
    public async Task Append_Concurrent_GapFreeSingleChain()
    {
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => _log.AppendAsync(Event(i), CancellationToken.None)));

        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), _store.Records.Select(r => r.Sequence));
        Assert.True((await _log.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public void ComputeHash_FieldBoundariesShifted_DifferentHash()
    {
        // Length prefixes: moving characters between adjacent fields must change the hash.
        var a = new AuditEvent(T0, "ab", "c", "t", "ok", "");
        var b = new AuditEvent(T0, "a", "bc", "t", "ok", "");

        Assert.NotEqual(AuditChain.ComputeHash(1, a, AuditChain.GenesisHash), AuditChain.ComputeHash(1, b, AuditChain.GenesisHash));
    }

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _log.AppendAsync(Event(i), CancellationToken.None);
        }
    }

    private static AuditEvent Event(int i) => new(T0.AddSeconds(i), "uid:1000 pid:42", "entry.create", $"spiffe://example.org/w{i}", i % 2 == 0 ? "ok" : "denied", i % 2 == 0 ? "" : "not allowed");
}
