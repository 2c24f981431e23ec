using Tessera.Server.Datastore;

namespace Tessera.Server.Ca.Journal.Datastore;

/// <summary>
/// Keeps the CA's rotation journal in the server's datastore (SQLite or PostgreSQL), next to everything else
/// that must survive a restart. Saves are optimistic: a second server writing the same journal concurrently
/// gets a conflict instead of silently overwriting the other's rotation.
/// </summary>
internal sealed class DatastoreCaJournal(IKeyJournalStore store) : ICaJournal
{
    private const string Kind = "ca";
    private long _version;

    public async Task<byte[]?> LoadAsync(CancellationToken cancellationToken)
    {
        var journal = await store.GetKeyJournalAsync(Kind, cancellationToken).ConfigureAwait(false);
        _version = journal?.Version ?? 0;
        return journal?.Data.ToArray();
    }

    public async Task SaveAsync(ReadOnlyMemory<byte> blob, CancellationToken cancellationToken) =>
        _version = await store.SaveKeyJournalAsync(Kind, blob, _version, cancellationToken).ConfigureAwait(false);
}
