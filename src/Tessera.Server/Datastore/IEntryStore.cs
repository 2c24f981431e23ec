namespace Tessera.Server.Datastore;

/// <summary>Registration entries. Uniqueness of (SPIFFE ID, parent ID, selector set) is enforced by the database.</summary>
internal interface IEntryStore
{
    /// <summary>Creates an entry and returns it with its id, timestamps and revision 1.</summary>
    /// <exception cref="DataStoreConflictException">An equal entry exists (<see cref="DataStoreConflict.DuplicateEntry"/>).</exception>
    Task<RegistrationEntry> CreateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken);

    /// <summary>Creates every entry in one transaction: all are written or none is.</summary>
    Task<IReadOnlyList<RegistrationEntry>> CreateEntriesAsync(IReadOnlyList<RegistrationEntry> entries, CancellationToken cancellationToken);

    /// <summary>Returns the entry with this id, or null.</summary>
    Task<RegistrationEntry?> GetEntryAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the entry if its stored revision is <paramref name="entry"/>'s; returns the new version, or null if absent.</summary>
    /// <exception cref="DataStoreConflictException">Revision mismatch, or the change would duplicate another entry.</exception>
    Task<RegistrationEntry?> UpdateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken);

    /// <summary>Deletes the entry; false if it did not exist.</summary>
    Task<bool> DeleteEntryAsync(string id, CancellationToken cancellationToken);

    /// <summary>Counts the entries the filter matches.</summary>
    Task<long> CountEntriesAsync(EntryFilter filter, CancellationToken cancellationToken);

    /// <summary>Lists matching entries ordered by id, at most <paramref name="pageSize"/> per page.</summary>
    Task<EntryPage> ListEntriesAsync(EntryFilter filter, int pageSize, string? pageToken, CancellationToken cancellationToken);
}
