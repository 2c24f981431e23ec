namespace Tessera.Server.Audit;

/// <summary>Records security-relevant events in the hash-chained audit log.</summary>
internal interface IAuditLog
{
    /// <summary>Appends <paramref name="auditEvent"/> and returns the stored, chained record.</summary>
    Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>Appends every event, in order, in one write (one transaction), keeping the hash chain; returns the chained records.</summary>
    Task<IReadOnlyList<AuditRecord>> AppendManyAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken);

    /// <summary>Recomputes the whole chain.</summary>
    Task<AuditChainVerification> VerifyAsync(CancellationToken cancellationToken);
}
