namespace Tessera.Server.Audit;

/// <summary>
/// The hash-chained audit log over an <see cref="IAuditStore"/>. Appends are serialised in-process; across
/// processes sharing a store, the store's compare-on-tail append makes a losing writer re-link and retry,
/// so the chain never forks.
/// </summary>
internal sealed class AuditLog(IAuditStore store) : IAuditLog, IDisposable
{
    private const int MaxAttempts = 20;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<AuditRecord> AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        // The hash covers the time in milliseconds; store exactly that so verification recomputes the same hash.
        auditEvent = auditEvent with { Time = DateTimeOffset.FromUnixTimeMilliseconds(auditEvent.Time.ToUnixTimeMilliseconds()) };
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var tail = await store.GetLastAsync(cancellationToken).ConfigureAwait(false);
                var record = AuditChain.Link((tail?.Sequence ?? 0) + 1, auditEvent, tail?.Hash ?? AuditChain.GenesisHash);
                if (await store.TryAppendAsync(record, cancellationToken).ConfigureAwait(false))
                {
                    return record;
                }
            }

            throw new InvalidOperationException($"audit log: could not append after {MaxAttempts} attempts; another writer keeps moving the tail");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<AuditRecord>> AppendManyAsync(IReadOnlyList<AuditEvent> auditEvents, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(auditEvents);
        if (auditEvents.Count == 0)
        {
            return [];
        }

        var events = auditEvents.Select(e => e with { Time = DateTimeOffset.FromUnixTimeMilliseconds(e.Time.ToUnixTimeMilliseconds()) }).ToArray();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var tail = await store.GetLastAsync(cancellationToken).ConfigureAwait(false);
                var records = new AuditRecord[events.Length];
                var sequence = tail?.Sequence ?? 0;
                var previous = tail?.Hash ?? AuditChain.GenesisHash;
                for (var i = 0; i < events.Length; i++)
                {
                    records[i] = AuditChain.Link(++sequence, events[i], previous);
                    previous = records[i].Hash;
                }

                if (await store.TryAppendManyAsync(records, cancellationToken).ConfigureAwait(false))
                {
                    return records;
                }
            }

            throw new InvalidOperationException($"audit log: could not append after {MaxAttempts} attempts; another writer keeps moving the tail");
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task<AuditChainVerification> VerifyAsync(CancellationToken cancellationToken) =>
        AuditChainVerifier.VerifyAsync(store.ReadAsync(0, cancellationToken), cancellationToken);

    public void Dispose() => _gate.Dispose();
}
