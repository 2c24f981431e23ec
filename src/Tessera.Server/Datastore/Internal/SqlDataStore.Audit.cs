using System.Data.Common;
using System.Globalization;

namespace Tessera.Server.Datastore.Internal;

internal sealed partial class SqlDataStore
{
    private const string AuditColumns = "seq, occurred_at, caller, action, target, outcome, reason, prev_hash, hash";

    public async Task<AuditRecord?> GetAuditTailAsync(CancellationToken cancellationToken)
    {
        var rows = await RunAsync(connection => SqlCommands.QueryAsync(connection, null,
            $"SELECT {AuditColumns} FROM audit_log ORDER BY seq DESC LIMIT 1", ReadAudit, cancellationToken), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task AppendAuditRecordAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        return AppendAuditRecordsAsync([record], cancellationToken);
    }

    public async Task AppendAuditRecordsAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        await InTransactionAsync((connection, transaction) => AppendAuditRecordsAsync(connection, transaction, records, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Reads the tail inside <paramref name="transaction"/> after taking the audit lock, which is held until the transaction ends.</summary>
    internal async Task<AuditRecord?> LockAuditTailAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        // SQLite: the transaction already holds the database write lock (BEGIN IMMEDIATE). PostgreSQL (read
        // committed): a transaction-scoped advisory lock makes appenders take turns, and the SELECT after it sees
        // every record committed by the writer that held it before.
        if (_dialect.AuditLockSql is { } lockSql)
        {
            await SqlCommands.ExecuteAsync(connection, transaction, lockSql, cancellationToken).ConfigureAwait(false);
        }

        var rows = await SqlCommands.QueryAsync(connection, transaction,
            $"SELECT {AuditColumns} FROM audit_log ORDER BY seq DESC LIMIT 1", ReadAudit, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    internal async Task<int> AppendAuditRecordsAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return 0;
        }

        for (var i = 1; i < records.Count; i++)
        {
            if (records[i].Sequence != records[i - 1].Sequence + 1 || !string.Equals(records[i].PrevHash, records[i - 1].Hash, StringComparison.Ordinal))
            {
                throw new ArgumentException($"audit record {records[i].Sequence.ToString(CultureInfo.InvariantCulture)} does not link to the record before it in the batch", nameof(records));
            }
        }

        var first = records[0];
        try
        {
            var tail = await LockAuditTailAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            var (tailSeq, tailHash) = tail is null ? (0L, string.Empty) : (tail.Sequence, tail.Hash);
            if (first.Sequence != tailSeq + 1 || !string.Equals(first.PrevHash, tailHash, StringComparison.Ordinal))
            {
                throw TailConflict(first, tailSeq, null);
            }

            foreach (var record in records)
            {
                await SqlCommands.ExecuteAsync(connection, transaction, $"""
                    INSERT INTO audit_log ({AuditColumns})
                    VALUES (@seq, @at, @caller, @action, @target, @outcome, @reason, @prev_hash, @hash)
                    """, cancellationToken,
                    ("@seq", record.Sequence), ("@at", SqlCommands.ToUnixMs(record.Time)), ("@caller", record.Caller),
                    ("@action", record.Action), ("@target", record.Target), ("@outcome", record.Outcome), ("@reason", record.Reason),
                    ("@prev_hash", record.PrevHash), ("@hash", record.Hash)).ConfigureAwait(false);
            }

            return records.Count;
        }
        catch (Exception exception) when (_dialect.IsUniqueViolation(exception))
        {
            // A writer that does not take the audit lock (an older server sharing the database) can still read the
            // same tail; the primary key on seq and the unique prev_hash make the second insert fail, so the chain
            // cannot fork.
            throw TailConflict(first, first.Sequence - 1, exception);
        }
    }

    public async Task<IReadOnlyList<AuditRecord>> ListAuditRecordsAsync(long afterSequence, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return await RunAsync(connection => SqlCommands.QueryAsync(connection, null,
            $"SELECT {AuditColumns} FROM audit_log WHERE seq > @after ORDER BY seq LIMIT @limit", ReadAudit, cancellationToken,
            ("@after", afterSequence), ("@limit", limit)), cancellationToken).ConfigureAwait(false);
    }

    private static DataStoreConflictException TailConflict(AuditRecord record, long tailSeq, Exception? inner) =>
        new(DataStoreConflict.AuditTail,
            $"audit record {record.Sequence.ToString(CultureInfo.InvariantCulture)} does not extend the log tail (sequence {tailSeq.ToString(CultureInfo.InvariantCulture)}): " +
            "another record was appended first; recompute against the new tail and retry",
            inner);

    private static AuditRecord ReadAudit(DbDataReader r) => new()
    {
        Sequence = r.GetInt64(0),
        Time = SqlCommands.FromUnixMs(r.GetInt64(1)),
        Caller = r.GetString(2),
        Action = r.GetString(3),
        Target = r.GetString(4),
        Outcome = r.GetString(5),
        Reason = r.GetString(6),
        PrevHash = r.GetString(7),
        Hash = r.GetString(8),
    };
}
