using Tessera.Server.Audit;
using Tessera.Server.Datastore.Sqlite;
using Tessera.Server.Hosting;
using EntryFilter = Tessera.Server.Datastore.EntryFilter;
using IDataStore = Tessera.Server.Datastore.IDataStore;
using RegistrationEntry = Tessera.Server.Datastore.RegistrationEntry;
using Selector = Tessera.Server.Datastore.Selector;
using SpiffeId = Tessera.Spiffe.Ids.SpiffeId;

namespace Tessera.Server.Tests.Audit;

/// <summary>
/// <see cref="IAuditLog.WriteAuditedAsync"/> over a real SQLite store: a lost race for the tail re-runs the whole
/// transaction, the head and the metrics follow only what committed.
/// </summary>
public sealed class AuditedWriteTests : IAsyncLifetime, IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private IDataStore _store = null!;
    private ConflictingAuditStore _audit = null!;
    private FileAuditHeadStore _head = null!;
    private AuditLog _log = null!;
    private ServerMetrics _metrics = null!;
    private MeteredAuditLog _metered = null!;
    private int _runs;

    private CancellationToken Ct => _timeout.Token;

    public async Task InitializeAsync()
    {
        _store = await SqliteDataStore.OpenAsync(Path.Combine(_dir.Path, "store.sqlite3"), TimeProvider.System, Ct);
        _audit = new ConflictingAuditStore(new DatastoreAuditStore(_store));
        _head = new FileAuditHeadStore(Path.Combine(_dir.Path, "audit-head"));
        _log = new AuditLog(_audit, _head);
        _metrics = new ServerMetrics(TimeProvider.System, new ServerStartTime(T0));
        _metered = new MeteredAuditLog(_log, _metrics);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    public void Dispose()
    {
        _log.Dispose();
        _timeout.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public async Task WriteAudited_TailMovedOnce_RerunsWorkCommitsOnceCountsOnce()
    {
        _audit.Conflicts = 1;

        var created = await _metered.WriteAuditedAsync<RegistrationEntry>(CreateWebAsync, Ct);

        Assert.Equal(2, _runs);
        Assert.Equal(1, await _store.CountEntriesAsync(EntryFilter.All, Ct));
        var record = Assert.Single(await _store.ListAuditRecordsAsync(0, 10, Ct));
        Assert.Equal($"{created.Id} spiffe://example.org/web", record.Target);
        Assert.Equal(new AuditHead(1, record.Hash), _head.Read());
        Assert.Contains("tessera_audit_events_total{action=\"entry.create\",outcome=\"ok\"} 1\n", _metrics.Render(true), StringComparison.Ordinal);
        Assert.True((await _log.VerifyAsync(Ct)).Intact);
    }

    [Fact]
    public async Task WriteAudited_WorkThrows_NoChangeNoRecordNoHeadNoCount()
    {
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => _metered.WriteAuditedAsync<RegistrationEntry>(async (writer, token) =>
        {
            await CreateWebAsync(writer, token);
            throw new InvalidOperationException("refused after writing");
        }, Ct));

        Assert.Equal("refused after writing", thrown.Message);
        Assert.Equal(0, await _store.CountEntriesAsync(EntryFilter.All, Ct));
        Assert.Empty(await _store.ListAuditRecordsAsync(0, 10, Ct));
        Assert.Null(_head.Read());
        Assert.DoesNotContain("action=\"entry.create\"", _metrics.Render(true), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAudited_TailKeepsMoving_ThrowsAfterTwentyAttemptsAndWritesNothing()
    {
        _audit.Conflicts = int.MaxValue;

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => _metered.WriteAuditedAsync<RegistrationEntry>(CreateWebAsync, Ct));

        Assert.Equal("audit log: could not append after 20 attempts; another writer keeps moving the tail", thrown.Message);
        Assert.Equal(20, _runs);
        Assert.Equal(0, await _store.CountEntriesAsync(EntryFilter.All, Ct));
        Assert.Empty(await _store.ListAuditRecordsAsync(0, 10, Ct));
        Assert.DoesNotContain("action=\"entry.create\"", _metrics.Render(true), StringComparison.Ordinal);
    }

    private async Task<(RegistrationEntry Result, IReadOnlyList<AuditEvent> Events)> CreateWebAsync(Tessera.Server.Datastore.IDataStoreWriter writer, CancellationToken token)
    {
        _runs++;
        var entry = (await writer.CreateEntriesAsync([new RegistrationEntry
        {
            SpiffeId = SpiffeId.Parse("spiffe://example.org/web"),
            ParentId = SpiffeId.Parse("spiffe://example.org/agent"),
            Selectors = [new Selector("unix", "uid:1001")],
            X509SvidTtl = TimeSpan.FromHours(1),
            JwtSvidTtl = TimeSpan.FromMinutes(5),
            Owner = "team-a",
        }], token))[0];
        return (entry, [new AuditEvent(T0, "uid:0", "entry.create", $"{entry.Id} {entry.SpiffeId}", "ok", string.Empty)]);
    }
}
