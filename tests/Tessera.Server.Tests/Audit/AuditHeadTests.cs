using Tessera.Server.Audit;

namespace Tessera.Server.Tests.Audit;

/// <summary>The audit head kept outside the database: what the hash chain alone cannot show.</summary>
public sealed class AuditHeadTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly InMemoryAuditStore _store = new();
    private readonly FileAuditHeadStore _head;
    private readonly AuditLog _log;

    public AuditHeadTests()
    {
        _head = new FileAuditHeadStore(Path.Combine(_dir.Path, "audit-head"));
        _log = new AuditLog(_store, _head);
    }

    public void Dispose()
    {
        _log.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task Append_WritesHeadFile0600_VerifyIntact()
    {
        await AppendAsync(3);

        Assert.Equal(new AuditHead(3, _store.Records[2].Hash), _head.Read());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir.Path, "audit-head")));
        Assert.True((await _log.VerifyAsync(CancellationToken.None)).Intact);
    }

    [Fact]
    public async Task Verify_NewestRecordsDeleted_ReportsThemMissing()
    {
        await AppendAsync(5);
        _store.Records.RemoveRange(3, 2);

        var result = await _log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(4, result.FirstBadSequence);
        Assert.Equal("records 4..5 are missing: this server wrote up to record 5 (the newest records were deleted)", result.Problem);
    }

    [Fact]
    public async Task Verify_NewestDeletedThenMoreAppended_StillReported()
    {
        await AppendAsync(5);
        _store.Records.RemoveRange(3, 2);

        // The log grows past the old head again over the truncation: the head must not follow it.
        await AppendAsync(4);
        var result = await _log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal(5, result.FirstBadSequence);
        Assert.Equal("record 5 is not the record this server wrote there (the log was rewritten from that point on)", result.Problem);
        Assert.Equal(5, _head.Read()!.Sequence);
    }

    [Fact]
    public async Task Verify_WholeChainRelinked_Reported()
    {
        await AppendAsync(3);
        var relinked = new List<AuditRecord>();
        var previous = AuditChain.GenesisHash;
        foreach (var record in _store.Records)
        {
            // Someone with write access edits a record and recomputes every hash after it: the chain is valid again.
            var edited = AuditChain.Link(record.Sequence, record.Sequence == 2 ? record.Event with { Reason = "edited" } : record.Event, previous);
            relinked.Add(edited);
            previous = edited.Hash;
        }

        _store.Records.Clear();
        _store.Records.AddRange(relinked);
        var result = await _log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.Equal("record 3 is not the record this server wrote there (the log was rewritten from that point on)", result.Problem);
    }

    [Fact]
    public async Task Verify_HeadFileGarbled_ReportedNotIgnored()
    {
        await AppendAsync(1);
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "audit-head"), "nonsense");

        var result = await _log.VerifyAsync(CancellationToken.None);

        Assert.False(result.Intact);
        Assert.StartsWith("the audit head kept outside the database is unreadable: audit head file ", result.Problem, StringComparison.Ordinal);
    }

    private async Task AppendAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _log.AppendAsync(new AuditEvent(T0.AddSeconds(i), "uid:0", "entry.create", $"e{i}", "ok", string.Empty), CancellationToken.None);
        }
    }
}
