namespace Tessera.Server.Datastore;

/// <summary>The CA/JWT key journal: one opaque blob per kind, written with optimistic concurrency.</summary>
internal interface IKeyJournalStore
{
    /// <summary>Returns the journal of this kind, or null if never saved.</summary>
    Task<KeyJournal?> GetKeyJournalAsync(string kind, CancellationToken cancellationToken);

    /// <summary>Saves the journal if its stored version is <paramref name="expectedVersion"/> (0: not yet saved); returns the new version.</summary>
    /// <exception cref="DataStoreConflictException">The version changed (<see cref="DataStoreConflict.KeyJournalVersion"/>).</exception>
    Task<long> SaveKeyJournalAsync(string kind, ReadOnlyMemory<byte> data, long expectedVersion, CancellationToken cancellationToken);
}
