using System.Data.Common;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore.Internal;

/// <summary>One open <see cref="SqlDataStore"/> transaction: every call runs on its connection, inside it.</summary>
internal sealed class SqlDataStoreTransaction(SqlDataStore store, DbConnection connection, DbTransaction transaction) : IDataStoreTransaction
{
    public Task<IReadOnlyList<RegistrationEntry>> CreateEntriesAsync(IReadOnlyList<RegistrationEntry> entries, CancellationToken cancellationToken) =>
        store.CreateEntriesAsync(connection, transaction, entries, cancellationToken);

    public Task<RegistrationEntry?> UpdateEntryAsync(RegistrationEntry entry, CancellationToken cancellationToken) =>
        store.UpdateEntryAsync(connection, transaction, entry, cancellationToken);

    public Task<RegistrationEntry?> GetEntryAsync(string id, CancellationToken cancellationToken) =>
        SqlDataStore.ReadEntryAsync(connection, transaction, id, cancellationToken);

    public Task<bool> DeleteEntryAsync(string id, CancellationToken cancellationToken) =>
        SqlDataStore.DeleteEntryAsync(connection, transaction, id, cancellationToken);

    public Task<JoinToken> CreateJoinTokenAsync(string token, SpiffeId? spiffeId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        store.CreateJoinTokenAsync(connection, transaction, token, spiffeId, expiresAt, cancellationToken);

    public Task<JoinToken?> ConsumeJoinTokenAsync(string token, CancellationToken cancellationToken) =>
        store.ConsumeJoinTokenAsync(connection, transaction, token, cancellationToken);

    public Task<AttestedAgent?> GetAgentAsync(SpiffeId spiffeId, CancellationToken cancellationToken) =>
        SqlDataStore.GetAgentAsync(connection, transaction, spiffeId, cancellationToken);

    public Task UpsertAgentAsync(AttestedAgent agent, CancellationToken cancellationToken) =>
        SqlDataStore.UpsertAgentAsync(connection, transaction, agent, cancellationToken);

    public Task<bool> DeleteAgentAsync(SpiffeId spiffeId, CancellationToken cancellationToken) =>
        SqlDataStore.DeleteAgentAsync(connection, transaction, spiffeId, cancellationToken);

    public Task<StoredBundle> SetBundleAsync(TrustDomain trustDomain, string json, CancellationToken cancellationToken) =>
        SqlDataStore.SetBundleAsync(connection, transaction, trustDomain, json, cancellationToken);

    public Task<bool> DeleteBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken) =>
        SqlDataStore.DeleteBundleAsync(connection, transaction, trustDomain, cancellationToken);

    public Task RecordIssuedSvidsAsync(IReadOnlyList<IssuedSvid> svids, CancellationToken cancellationToken) =>
        SqlDataStore.RecordIssuedSvidsAsync(connection, transaction, svids, cancellationToken);

    public Task<IssuedSvid?> GetIssuedSvidAsync(string serial, CancellationToken cancellationToken) =>
        SqlDataStore.GetIssuedSvidAsync(connection, transaction, serial, cancellationToken);

    public Task<IReadOnlyList<IssuedSvid>> ListCurrentIssuedSvidsAsync(SpiffeId? spiffeId, SpiffeId? issuedTo, DateTimeOffset now, CancellationToken cancellationToken) =>
        SqlDataStore.ListCurrentIssuedSvidsAsync(connection, transaction, spiffeId, issuedTo, now, cancellationToken);

    public Task<int> AddRevocationsAsync(IReadOnlyList<Revocation> revocations, CancellationToken cancellationToken) =>
        SqlDataStore.AddRevocationsAsync(connection, transaction, revocations, cancellationToken);

    public Task<AuditRecord?> LockAuditTailAsync(CancellationToken cancellationToken) =>
        store.LockAuditTailAsync(connection, transaction, cancellationToken);

    public Task AppendAuditRecordsAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken) =>
        store.AppendAuditRecordsAsync(connection, transaction, records, cancellationToken);
}
