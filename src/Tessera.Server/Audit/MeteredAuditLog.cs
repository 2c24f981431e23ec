using Tessera.Server.Hosting;

namespace Tessera.Server.Audit;

/// <summary>Counts every audit record in the metrics as it is written.</summary>
internal sealed class MeteredAuditLog(AuditLog inner, ServerMetrics metrics) : IAuditLog
{
    public async Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        var record = await inner.AppendAsync(auditEvent, cancellationToken).ConfigureAwait(false);
        metrics.CountAuditEvent(auditEvent.Action, auditEvent.Outcome);
        return record;
    }

    public async Task<IReadOnlyList<AuditRecord>> AppendManyAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        var records = await inner.AppendManyAsync(auditEvents, cancellationToken).ConfigureAwait(false);
        foreach (var auditEvent in auditEvents)
        {
            metrics.CountAuditEvent(auditEvent.Action, auditEvent.Outcome);
        }

        return records;
    }

    public Task<AuditChainVerification> VerifyAsync(CancellationToken cancellationToken) => inner.VerifyAsync(cancellationToken);
}
