using System.Runtime.CompilerServices;
using Tessera.Server.Audit;
using IDataStore = Tessera.Server.Datastore.IDataStore;
using IDataStoreWriter = Tessera.Server.Datastore.IDataStoreWriter;

namespace Tessera.Server.Tests.Audit;

/// <summary>
/// A test store whose records tests can tamper with, to prove the verifier notices. Audited writes run their state
/// change in <see cref="DataStore"/>'s transaction and keep the records here once it commits (not atomic with it:
/// the transactional guarantee is the datastore's, tested in the conformance suite).
/// </summary>
internal sealed class InMemoryAuditStore : IAuditStore
{
    private readonly Lock _lock = new();

    public List<AuditRecord> Records { get; } = [];

    /// <summary>Gets or sets the datastore whose transactions audited writes run in.</summary>
    public IDataStore? DataStore { get; set; }

    /// <summary>Gets or sets an exception thrown once, inside the next audited write's transaction after its work (a failed commit).</summary>
    public Exception? FailNextWriteBeforeCommit { get; set; }

    /// <summary>Gets or sets a step run once, just before the next audited write opens its transaction (a race made deterministic).</summary>
    public Func<Task>? BeforeNextWrite { get; set; }

    public Task<AuditRecord?> GetLastAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Records.Count == 0 ? null : Records[^1]);
        }
    }

    public Task<bool> TryAppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var tailHash = Records.Count == 0 ? AuditChain.GenesisHash : Records[^1].Hash;
            if (record.PreviousHash != tailHash || record.Sequence != Records.Count + 1)
            {
                return Task.FromResult(false);
            }

            Records.Add(record);
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryAppendManyAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var tailHash = Records.Count == 0 ? AuditChain.GenesisHash : Records[^1].Hash;
            if (records.Count == 0 || records[0].PreviousHash != tailHash || records[0].Sequence != Records.Count + 1)
            {
                return Task.FromResult(false);
            }

            Records.AddRange(records);
            return Task.FromResult(true);
        }
    }

    public async Task<(T Result, IReadOnlyList<AuditRecord> Records)> WriteAsync<T>(
        Func<IDataStoreWriter, CancellationToken, Task<(T Result, IReadOnlyList<AuditEvent> Events)>> work, CancellationToken cancellationToken)
    {
        var dataStore = DataStore ?? throw new InvalidOperationException("set InMemoryAuditStore.DataStore to run audited writes");
        if (BeforeNextWrite is { } before)
        {
            BeforeNextWrite = null;
            await before();
        }

        var failure = FailNextWriteBeforeCommit;
        FailNextWriteBeforeCommit = null;
        var (result, events) = await dataStore.WriteAsync(async (transaction, token) =>
        {
            var done = await work(transaction, token);
            return failure is null ? done : throw failure;
        }, cancellationToken);
        lock (_lock)
        {
            var records = AuditChain.LinkAfter(Records.Count == 0 ? null : Records[^1], events);
            Records.AddRange(records);
            return (result, records);
        }
    }

    public async IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AuditRecord[] snapshot;
        lock (_lock)
        {
            snapshot = [.. Records.Where(r => r.Sequence > afterSequence)];
        }

        foreach (var record in snapshot)
        {
            await Task.Yield();
            yield return record;
        }
    }
}
