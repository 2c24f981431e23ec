using Tessera.Server.Datastore;

namespace Tessera.Server.Audit;

/// <summary>
/// The hash-chained audit log over an <see cref="IAuditStore"/>. Appends are serialised in-process; across
/// processes sharing a store, the store's compare-on-tail append makes a losing writer re-link and retry,
/// so the chain never forks. With an <see cref="IAuditHeadStore"/>, the newest record written is also kept
/// outside the database, so verification detects deleted newest records and a re-linked chain.
/// </summary>
internal sealed class AuditLog(IAuditStore store, IAuditHeadStore? headStore = null) : IAuditLog, IDisposable
{
    private const int MaxAttempts = 20;
    private readonly SemaphoreSlim _gate = new(1, 1);

    // Once an append shows the log shrank under us, the head stays where it was: it is the evidence.
    private bool _headFrozen;

    // The head as this process last read or wrote it (appends are serialised by _gate): the file is read once, not
    // on every append. Only this server writes its head file.
    private bool _headLoaded;
    private AuditHead? _head;

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
                    await AdvanceHeadAsync(record, record, cancellationToken).ConfigureAwait(false);
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

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                var tail = await store.GetLastAsync(cancellationToken).ConfigureAwait(false);
                var records = AuditChain.LinkAfter(tail, auditEvents);
                if (await store.TryAppendManyAsync(records, cancellationToken).ConfigureAwait(false))
                {
                    await AdvanceHeadAsync(records[0], records[^1], cancellationToken).ConfigureAwait(false);
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

    public async Task<T> WriteAuditedAsync<T>(Func<IDataStoreWriter, CancellationToken, Task<(T Result, IReadOnlyList<AuditEvent> Events)>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        // The gate is held through the transaction so the head advances in commit order (an out-of-order advance
        // would look like a rewritten log and freeze the head).
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; attempt < MaxAttempts; attempt++)
            {
                (T Result, IReadOnlyList<AuditRecord> Records) written;
                try
                {
                    written = await store.WriteAsync(work, cancellationToken).ConfigureAwait(false);
                }
                catch (DataStoreConflictException ex) when (ex.Conflict == DataStoreConflict.AuditTail)
                {
                    // Another writer appended first and the whole transaction rolled back: run it again on the new tail.
                    continue;
                }

                if (written.Records.Count > 0)
                {
                    await AdvanceHeadAsync(written.Records[0], written.Records[^1], cancellationToken).ConfigureAwait(false);
                }

                return written.Result;
            }

            throw new InvalidOperationException($"audit log: could not append after {MaxAttempts} attempts; another writer keeps moving the tail");
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<AuditChainVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        AuditHead? head;
        try
        {
            head = headStore?.Read();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return new AuditChainVerification(false, 0, 0, $"the audit head kept outside the database is unreadable: {ex.Message}");
        }

        string? hashAtHead = null;
        async IAsyncEnumerable<AuditRecord> Records([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken token = default)
        {
            await foreach (var record in store.ReadAsync(0, token).ConfigureAwait(false))
            {
                if (record.Sequence == head?.Sequence)
                {
                    hashAtHead = record.Hash;
                }

                yield return record;
            }
        }

        var chain = await AuditChainVerifier.VerifyAsync(Records(cancellationToken), cancellationToken).ConfigureAwait(false);
        if (!chain.Intact || head is null)
        {
            return chain;
        }

        if (chain.RecordsChecked < head.Sequence)
        {
            return new AuditChainVerification(false, chain.RecordsChecked, chain.RecordsChecked + 1,
                $"records {chain.RecordsChecked + 1}..{head.Sequence} are missing: this server wrote up to record {head.Sequence} (the newest records were deleted)");
        }

        return string.Equals(hashAtHead, head.Hash, StringComparison.Ordinal)
            ? chain
            : new AuditChainVerification(false, chain.RecordsChecked, head.Sequence,
                $"record {head.Sequence} is not the record this server wrote there (the log was rewritten from that point on)");
    }

    // The head only moves forward, and only along the chain: a first record at or below the head means records
    // were deleted (or the chain rewritten) since, and the head then stays put so verification keeps reporting it.
    // Records appended by another server sharing the database leave a gap, which cannot be checked here.
    private async Task AdvanceHeadAsync(AuditRecord first, AuditRecord last, CancellationToken cancellationToken)
    {
        if (headStore is null || _headFrozen)
        {
            return;
        }

        if (!_headLoaded)
        {
            try
            {
                _head = headStore.Read();
                _headLoaded = true;
            }
            catch (InvalidDataException)
            {
                // Left as found: verification reports it.
                _headFrozen = true;
                return;
            }
        }

        var head = _head;
        if (head is not null && (first.Sequence <= head.Sequence || (first.Sequence == head.Sequence + 1 && !string.Equals(first.PreviousHash, head.Hash, StringComparison.Ordinal))))
        {
            _headFrozen = true;
            return;
        }

        // The records are committed: a head write that fails only leaves the head behind, which weakens the
        // check but never makes verification fail wrongly.
        try
        {
            var next = new AuditHead(last.Sequence, last.Hash);
            await headStore.WriteAsync(next, cancellationToken).ConfigureAwait(false);
            _head = next;
        }
        catch (IOException)
        {
        }
    }

    public void Dispose() => _gate.Dispose();
}
