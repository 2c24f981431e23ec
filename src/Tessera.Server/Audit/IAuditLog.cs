using Tessera.Server.Datastore;

namespace Tessera.Server.Audit;

/// <summary>Records security-relevant events in the hash-chained audit log.</summary>
internal interface IAuditLog
{
    /// <summary>Appends <paramref name="auditEvent"/> and returns the stored, chained record.</summary>
    Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>Appends every event, in order, in one write (one transaction), keeping the hash chain; returns the chained records.</summary>
    Task<IReadOnlyList<AuditRecord>> AppendManyAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> (a state change through the writer) and appends the audit events it returns in
    /// the same datastore transaction: both are committed or neither is. If another writer moves the audit tail
    /// first, the whole transaction is rolled back and run again, so <paramref name="work"/> may run more than once
    /// and must not call the audit log itself. Returns the work's result from the committed run.
    /// </summary>
    Task<T> WriteAuditedAsync<T>(Func<IDataStoreWriter, CancellationToken, Task<(T Result, IReadOnlyList<AuditEvent> Events)>> work, CancellationToken cancellationToken);

    /// <summary>Recomputes the whole chain.</summary>
    Task<AuditChainVerification> VerifyAsync(CancellationToken cancellationToken);
}
