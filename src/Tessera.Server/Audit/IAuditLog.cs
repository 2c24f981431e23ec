namespace Tessera.Server.Audit;

/// <summary>Records security-relevant events in the hash-chained audit log.</summary>
internal interface IAuditLog
{
    /// <summary>Appends <paramref name="auditEvent"/> and returns the stored, chained record.</summary>
    Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken);

    /// <summary>Recomputes the whole chain.</summary>
    Task<AuditChainVerification> VerifyAsync(CancellationToken cancellationToken);
}
