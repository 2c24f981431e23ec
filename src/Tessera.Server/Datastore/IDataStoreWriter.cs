using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>
/// The writes (and the reads a write decides on) that can run inside one datastore transaction, so a state change
/// and its audit records commit together or not at all. Each method behaves as the same method of the store.
/// </summary>
internal interface IDataStoreWriter
{
    /// <summary>Creates every entry (see <see cref="IEntryStore.CreateEntriesAsync"/>).</summary>
    /// <exception cref="DataStoreConflictException">An equal entry exists (<see cref="DataStoreConflict.DuplicateEntry"/>).</exception>
    Task<IReadOnlyList<RegistrationEntry>> CreateEntriesAsync(IReadOnlyList<RegistrationEntry> entries, CancellationToken cancellationToken);

    /// <summary>Replaces the entry at its revision (see <see cref="IEntryStore.UpdateEntryAsync"/>); null if absent.</summary>
    /// <exception cref="DataStoreConflictException">Revision mismatch, or the change would duplicate another entry.</exception>
    Task<RegistrationEntry?> UpdateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken);

    /// <summary>Reads an entry inside the transaction (null when there is none), e.g. before deleting it.</summary>
    Task<RegistrationEntry?> GetEntryAsync(string id, CancellationToken cancellationToken);

    /// <summary>Deletes the entry; false if it did not exist.</summary>
    Task<bool> DeleteEntryAsync(string id, CancellationToken cancellationToken);

    /// <summary>Stores the hash of <paramref name="token"/> (see <see cref="IJoinTokenStore.CreateJoinTokenAsync"/>).</summary>
    Task<JoinToken> CreateJoinTokenAsync(string token, SpiffeId? spiffeId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Consumes the token (see <see cref="IJoinTokenStore.ConsumeJoinTokenAsync"/>); null if invalid, expired or used.</summary>
    Task<JoinToken?> ConsumeJoinTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>Returns the agent, or null.</summary>
    Task<AttestedAgent?> GetAgentAsync(SpiffeId spiffeId, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the agent.</summary>
    Task UpsertAgentAsync(AttestedAgent agent, CancellationToken cancellationToken);

    /// <summary>Deletes (evicts) the agent; false if absent.</summary>
    Task<bool> DeleteAgentAsync(SpiffeId spiffeId, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the bundle (see <see cref="IBundleStore.SetBundleAsync"/>).</summary>
    Task<StoredBundle> SetBundleAsync(TrustDomain trustDomain, string json, CancellationToken cancellationToken);

    /// <summary>Deletes the bundle; false if absent.</summary>
    Task<bool> DeleteBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken);

    /// <summary>Records issued SVIDs.</summary>
    Task RecordIssuedSvidsAsync(IReadOnlyList<IssuedSvid> svids, CancellationToken cancellationToken);

    /// <summary>Returns the issued-SVID record with this serial, or null.</summary>
    Task<IssuedSvid?> GetIssuedSvidAsync(string serial, CancellationToken cancellationToken);

    /// <summary>Lists current issued SVIDs (see <see cref="IRevocationStore.ListCurrentIssuedSvidsAsync"/>).</summary>
    Task<IReadOnlyList<IssuedSvid>> ListCurrentIssuedSvidsAsync(SpiffeId? spiffeId, SpiffeId? issuedTo, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records revocations (see <see cref="IRevocationStore.AddRevocationsAsync"/>).</summary>
    Task<int> AddRevocationsAsync(IReadOnlyList<Revocation> revocations, CancellationToken cancellationToken);
}
