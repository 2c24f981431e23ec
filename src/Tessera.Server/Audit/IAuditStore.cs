using Tessera.Server.Datastore;

namespace Tessera.Server.Audit;

/// <summary>Where audit records are kept: append-only, gap-free sequence, the append refused if the tail moved.</summary>
internal interface IAuditStore : IAuditReader
{
    /// <summary>Returns the newest record, or null when the log is empty.</summary>
    Task<AuditRecord?> GetLastAsync(CancellationToken cancellationToken);

    /// <summary>Appends <paramref name="record"/> if it links to the current tail; false if another writer got there first.</summary>
    Task<bool> TryAppendAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>Appends consecutive linked records, the first linking to the current tail, all or none; false if another writer got there first.</summary>
    Task<bool> TryAppendManyAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in one datastore transaction and, in that same transaction, appends the events it
    /// returns linked after the tail (read under a lock held to commit): the change and its records are committed
    /// together or not at all. Returns the work's result and the committed records.
    /// </summary>
    /// <exception cref="DataStoreConflictException">The tail moved under the transaction (<see cref="DataStoreConflict.AuditTail"/>); nothing was written.</exception>
    Task<(T Result, IReadOnlyList<AuditRecord> Records)> WriteAsync<T>(
        Func<IDataStoreWriter, CancellationToken, Task<(T Result, IReadOnlyList<AuditEvent> Events)>> work, CancellationToken cancellationToken);
}
