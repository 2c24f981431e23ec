using System.Runtime.CompilerServices;
using Tessera.Server.Audit;

namespace Tessera.Server.Tests.Audit;

/// <summary>A test store whose records tests can tamper with, to prove the verifier notices.</summary>
internal sealed class InMemoryAuditStore : IAuditStore
{
    private readonly Lock _lock = new();

    public List<AuditRecord> Records { get; } = [];

    public Task<AuditRecord?> GetLastAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(Records.Count == 0 ? null : Records[^1]);
        }
    }

    public Task<bool> TryAppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var tailHash = Records.Count == 0 ? AuditChain.GenesisHash : Records[^1].Hash;
            if (record.PreviousHash != tailHash || record.Sequence != Records.Count + 1)
            {
                return Task.FromResult(false);
            }

            Records.Add(record);
            return Task.FromResult(true);
        }
    }

    public Task<bool> TryAppendManyAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var tailHash = Records.Count == 0 ? AuditChain.GenesisHash : Records[^1].Hash;
            if (records.Count == 0 || records[0].PreviousHash != tailHash || records[0].Sequence != Records.Count + 1)
            {
                return Task.FromResult(false);
            }

            Records.AddRange(records);
            return Task.FromResult(true);
        }
    }

    public async IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        AuditRecord[] snapshot;
        lock (_lock)
        {
            snapshot = [.. Records.Where(r => r.Sequence > afterSequence)];
        }

        foreach (var record in snapshot)
        {
            await Task.Yield();
            yield return record;
        }
    }
}
