namespace Tessera.Server.Datastore;

/// <summary>
/// One open datastore transaction: the writes of <see cref="IDataStoreWriter"/> plus the audit-log append, so the
/// audit log can link its records to the tail and insert them in the transaction that makes the change.
/// </summary>
internal interface IDataStoreTransaction : IDataStoreWriter
{
    /// <summary>
    /// Returns the last audit record, or null when the log is empty, and holds the audit tail until the transaction
    /// ends, so no other writer can append in between (SQLite: the transaction's write lock; PostgreSQL: a
    /// transaction-scoped advisory lock).
    /// </summary>
    Task<AuditRecord?> LockAuditTailAsync(CancellationToken cancellationToken);

    /// <summary>Appends consecutive records, the first extending the tail (see <see cref="IAuditStore.AppendAuditRecordsAsync"/>).</summary>
    /// <exception cref="DataStoreConflictException">The records do not extend the tail (<see cref="DataStoreConflict.AuditTail"/>).</exception>
    Task AppendAuditRecordsAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);
}
