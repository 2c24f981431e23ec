namespace Tessera.Server.Datastore;

/// <summary>Why a write was refused by <see cref="DataStoreConflictException"/>.</summary>
internal enum DataStoreConflict
{
    /// <summary>An entry with the same SPIFFE ID, parent ID and selector set exists.</summary>
    DuplicateEntry,

    /// <summary>The entry changed since the caller read it (revision mismatch).</summary>
    Revision,

    /// <summary>The key journal changed since the caller read it (version mismatch).</summary>
    KeyJournalVersion,

    /// <summary>The audit record does not extend the current tail (wrong sequence or previous hash).</summary>
    AuditTail,

    /// <summary>A join token with the same hash exists.</summary>
    DuplicateJoinToken,
}
