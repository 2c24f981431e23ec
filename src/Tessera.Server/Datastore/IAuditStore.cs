namespace Tessera.Server.Datastore;

/// <summary>Append-only storage of the hash-chained audit log.</summary>
internal interface IAuditStore
{
    /// <summary>Returns the last record, or null when the log is empty.</summary>
    Task<AuditRecord?> GetAuditTailAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Appends the record in one transaction if it extends the tail: its sequence is the tail's plus one
    /// (1 for the first) and its previous hash is the tail's hash (empty for the first).
    /// </summary>
    /// <exception cref="DataStoreConflictException">Another record was appended first (<see cref="DataStoreConflict.AuditTail"/>).</exception>
    Task AppendAuditRecordAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Appends consecutive records in one transaction if the first extends the tail (as for
    /// <see cref="AppendAuditRecordAsync"/>) and each links to the one before it: all are written or none.
    /// </summary>
    /// <exception cref="DataStoreConflictException">Another record was appended first (<see cref="DataStoreConflict.AuditTail"/>).</exception>
    Task AppendAuditRecordsAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>Lists records with a sequence above <paramref name="afterSequence"/>, in order, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAuditRecordsAsync(long afterSequence, int limit, CancellationToken cancellationToken);
}
