namespace Tessera.Server.Audit;

/// <summary>Recomputes the chain over stored records, oldest first, and reports the first edited, deleted or reordered record.</summary>
internal static class AuditChainVerifier
{
    public static async Task<AuditChainVerification> VerifyAsync(IAsyncEnumerable<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var expectedSequence = 1L;
        var previousHash = AuditChain.GenesisHash;
        var count = 0L;
        await foreach (var record in records.WithCancellation(cancellationToken))
        {
            if (record.Sequence != expectedSequence)
            {
                return new(false, count, record.Sequence, record.Sequence > expectedSequence
                    ? $"records {expectedSequence}..{record.Sequence - 1} are missing (deleted)"
                    : $"record {record.Sequence} appears out of order after {expectedSequence - 1}");
            }

            if (!string.Equals(record.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                return new(false, count, record.Sequence, $"record {record.Sequence} does not link to record {record.Sequence - 1} (a record before it was replaced)");
            }

            var recomputed = AuditChain.ComputeHash(record.Sequence, record.Event, record.PreviousHash);
            if (!string.Equals(recomputed, record.Hash, StringComparison.Ordinal))
            {
                return new(false, count, record.Sequence, $"record {record.Sequence} was modified after it was written (its hash does not match its contents)");
            }

            previousHash = record.Hash;
            expectedSequence++;
            count++;
        }

        return AuditChainVerification.Ok(count);
    }
}
