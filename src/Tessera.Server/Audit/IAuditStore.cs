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
}
