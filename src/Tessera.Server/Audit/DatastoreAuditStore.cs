using System.Runtime.CompilerServices;
using Tessera.Server.Datastore;

namespace Tessera.Server.Audit;

/// <summary>
/// The audit log's storage in the server's datastore (SQLite or PostgreSQL), whose append is compare-on-tail, and
/// whose transactions carry a state change and its audit records together.
/// </summary>
internal sealed class DatastoreAuditStore(IDataStore store) : IAuditStore
{
    private const int PageSize = 500;

    public async Task<AuditRecord?> GetLastAsync(CancellationToken cancellationToken)
    {
        var tail = await store.GetAuditTailAsync(cancellationToken).ConfigureAwait(false);
        return tail is null ? null : FromStored(tail);
    }

    public async Task<bool> TryAppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            await store.AppendAuditRecordAsync(ToStored(record), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DataStoreConflictException ex) when (ex.Conflict == DataStoreConflict.AuditTail)
        {
            return false;
        }
    }

    public async Task<bool> TryAppendManyAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        try
        {
            await store.AppendAuditRecordsAsync([.. records.Select(ToStored)], cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DataStoreConflictException ex) when (ex.Conflict == DataStoreConflict.AuditTail)
        {
            return false;
        }
    }

    public Task<(T Result, IReadOnlyList<AuditRecord> Records)> WriteAsync<T>(
        Func<IDataStoreWriter, CancellationToken, Task<(T Result, IReadOnlyList<AuditEvent> Events)>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return store.WriteAsync<(T, IReadOnlyList<AuditRecord>)>(async (transaction, token) =>
        {
            var (result, events) = await work(transaction, token).ConfigureAwait(false);
            if (events.Count == 0)
            {
                return (result, []);
            }

            // The tail is read last, under the lock, so the lock is held only from here to the commit.
            var tail = await transaction.LockAuditTailAsync(token).ConfigureAwait(false);
            var records = AuditChain.LinkAfter(tail is null ? null : FromStored(tail), events);
            await transaction.AppendAuditRecordsAsync([.. records.Select(ToStored)], token).ConfigureAwait(false);
            return (result, records);
        }, cancellationToken);
    }

    public async IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            var page = await store.ListAuditRecordsAsync(afterSequence, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var stored in page)
            {
                yield return FromStored(stored);
                afterSequence = stored.Sequence;
            }

            if (page.Count < PageSize)
            {
                yield break;
            }
        }
    }

    private static AuditRecord FromStored(Datastore.AuditRecord r) =>
        new(r.Sequence, new AuditEvent(r.Time, r.Caller, r.Action, r.Target, r.Outcome, r.Reason), r.PrevHash, r.Hash);

    private static Datastore.AuditRecord ToStored(AuditRecord r) => new()
    {
        Sequence = r.Sequence,
        Time = r.Event.Time,
        Caller = r.Event.Caller,
        Action = r.Event.Action,
        Target = r.Event.Target,
        Outcome = r.Event.Outcome,
        Reason = r.Event.Reason,
        PrevHash = r.PreviousHash,
        Hash = r.Hash,
    };
}
