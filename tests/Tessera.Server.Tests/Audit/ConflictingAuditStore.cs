using Tessera.Server.Audit;
using DataStoreConflict = Tessera.Server.Datastore.DataStoreConflict;
using DataStoreConflictException = Tessera.Server.Datastore.DataStoreConflictException;
using IDataStoreWriter = Tessera.Server.Datastore.IDataStoreWriter;

namespace Tessera.Server.Tests.Audit;

/// <summary>
/// Passes everything to a real store, but makes the next <see cref="Conflicts"/> audited writes lose the race for the
/// tail after their work has written: the transaction rolls back exactly as when another server appended first.
/// </summary>
internal sealed class ConflictingAuditStore(IAuditStore inner) : IAuditStore
{
    public int Conflicts { get; set; }

    public Task<AuditRecord?> GetLastAsync(CancellationToken cancellationToken) => inner.GetLastAsync(cancellationToken);

    public Task<bool> TryAppendAsync(AuditRecord record, CancellationToken cancellationToken) => inner.TryAppendAsync(record, cancellationToken);

    public Task<bool> TryAppendManyAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) =>
        inner.TryAppendManyAsync(records, cancellationToken);

    public IAsyncEnumerable<AuditRecord> ReadAsync(long afterSequence, CancellationToken cancellationToken) => inner.ReadAsync(afterSequence, cancellationToken);

    public Task<(T Result, IReadOnlyList<AuditRecord> Records)> WriteAsync<T>(
        Func<IDataStoreWriter, CancellationToken, Task<(T Result, IReadOnlyList<AuditEvent> Events)>> work, CancellationToken cancellationToken)
    {
        if (Conflicts == 0)
        {
            return inner.WriteAsync(work, cancellationToken);
        }

        Conflicts--;
        return inner.WriteAsync<T>(async (writer, token) =>
        {
            await work(writer, token);
            throw new DataStoreConflictException(DataStoreConflict.AuditTail, "injected: another writer appended first");
        }, cancellationToken);
    }
}
