using Tessera.Server.Datastore;
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

    public async Task<T> WriteAuditedAsync<T>(Func<IDataStoreWriter, CancellationToken, Task<(T Result, IReadOnlyList<AuditEvent> Events)>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        // The work may run again after a conflict: only the events of the run that committed are counted.
        IReadOnlyList<AuditEvent> committed = [];
        var result = await inner.WriteAuditedAsync(async (writer, token) =>
        {
            var done = await work(writer, token).ConfigureAwait(false);
            committed = done.Events;
            return done;
        }, cancellationToken).ConfigureAwait(false);
        foreach (var auditEvent in committed)
        {
            metrics.CountAuditEvent(auditEvent.Action, auditEvent.Outcome);
        }

        return result;
    }

    public Task<AuditChainVerification> VerifyAsync(CancellationToken cancellationToken) => inner.VerifyAsync(cancellationToken);
}
