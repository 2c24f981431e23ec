using System.Data.Common;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore.Internal;

internal sealed partial class SqlDataStore
{
    public Task RecordIssuedSvidAsync(IssuedSvid svid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(svid);
        return RunAsync(connection => RecordIssuedSvidsAsync(connection, null, [svid], cancellationToken), cancellationToken);
    }

    public async Task RecordIssuedSvidsAsync(IReadOnlyList<IssuedSvid> svids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(svids);
        if (svids.Count == 0)
        {
            return;
        }

        await InTransactionAsync((connection, transaction) => RecordIssuedSvidsAsync(connection, transaction, svids, cancellationToken), cancellationToken)
            .ConfigureAwait(false);
    }

    internal static async Task<int> RecordIssuedSvidsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<IssuedSvid> svids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(svids);
        foreach (var svid in svids)
        {
            await SqlCommands.ExecuteAsync(connection, transaction,
                "INSERT INTO issued_svids (serial, spiffe_id, expires_at, issued_to, authority, issued_at) VALUES (@serial, @spiffe_id, @expires_at, @issued_to, @authority, @issued_at)",
                cancellationToken, ("@serial", svid.Serial), ("@spiffe_id", svid.SpiffeId.ToString()),
                ("@expires_at", SqlCommands.ToUnixMs(svid.ExpiresAt)), ("@issued_to", svid.IssuedTo?.ToString()),
                ("@authority", svid.Authority), ("@issued_at", SqlCommands.ToUnixMs(svid.IssuedAt))).ConfigureAwait(false);
        }

        return svids.Count;
    }

    public Task<IssuedSvid?> GetIssuedSvidAsync(string serial, CancellationToken cancellationToken) =>
        RunAsync(connection => GetIssuedSvidAsync(connection, null, serial, cancellationToken), cancellationToken);

    internal static async Task<IssuedSvid?> GetIssuedSvidAsync(DbConnection connection, DbTransaction? transaction, string serial, CancellationToken cancellationToken)
    {
        var rows = await SqlCommands.QueryAsync(connection, transaction,
            "SELECT serial, spiffe_id, expires_at, issued_to, authority, issued_at FROM issued_svids WHERE serial = @serial",
            ReadIssuedSvid, cancellationToken, ("@serial", serial)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<IssuedSvid>> ListCurrentIssuedSvidsAsync(SpiffeId? spiffeId, SpiffeId? issuedTo, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(connection => ListCurrentIssuedSvidsAsync(connection, null, spiffeId, issuedTo, now, cancellationToken), cancellationToken);

    internal static async Task<IReadOnlyList<IssuedSvid>> ListCurrentIssuedSvidsAsync(DbConnection connection, DbTransaction? transaction, SpiffeId? spiffeId, SpiffeId? issuedTo, DateTimeOffset now, CancellationToken cancellationToken) =>
        await SqlCommands.QueryAsync(connection, transaction,
            // The casts give PostgreSQL a type for a parameter that may be null (SQLite ignores them).
            """
            SELECT serial, spiffe_id, expires_at, issued_to, authority, issued_at FROM issued_svids
            WHERE expires_at > @now AND (CAST(@spiffe_id AS TEXT) IS NULL OR spiffe_id = CAST(@spiffe_id AS TEXT))
              AND (CAST(@issued_to AS TEXT) IS NULL OR issued_to = CAST(@issued_to AS TEXT))
            ORDER BY expires_at, serial
            """,
            ReadIssuedSvid, cancellationToken, ("@now", SqlCommands.ToUnixMs(now)), ("@spiffe_id", spiffeId?.ToString()), ("@issued_to", issuedTo?.ToString())).ConfigureAwait(false);

    public Task<int> CountPendingReissueAsync(string authority, DateTimeOffset taintedAt, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(async connection =>
        {
            // Pending: an unexpired SVID signed by the tainted CA whose holder (SPIFFE ID, issuing agent) has not been
            // issued an SVID by another CA since the taint. Not pending: a revoked SVID (refused everywhere already;
            // ban and evict revoke an agent's SVIDs and its own) and a workload SVID whose SPIFFE ID no longer has an
            // entry (its agent dropped it; no successor will ever come). Otherwise a deleted canary or workload would
            // keep the tainted CA trusted until its SVID expired.
            var rows = await SqlCommands.QueryAsync(connection, null,
                """
                SELECT COUNT(*) FROM issued_svids s
                WHERE s.authority = @authority AND s.expires_at > @now
                  AND NOT EXISTS (
                    SELECT 1 FROM issued_svids r
                    WHERE r.spiffe_id = s.spiffe_id
                      AND (r.issued_to = s.issued_to OR (r.issued_to IS NULL AND s.issued_to IS NULL))
                      AND r.authority <> @authority AND r.authority <> '' AND r.issued_at >= @tainted_at)
                  AND NOT EXISTS (SELECT 1 FROM revocations v WHERE v.kind = 'x509' AND v.value = s.serial)
                  AND (s.issued_to IS NULL OR EXISTS (SELECT 1 FROM entries e WHERE e.spiffe_id = s.spiffe_id))
                """,
                r => r.GetInt64(0), cancellationToken, ("@authority", authority), ("@now", SqlCommands.ToUnixMs(now)), ("@tainted_at", SqlCommands.ToUnixMs(taintedAt))).ConfigureAwait(false);
            return (int)rows[0];
        }, cancellationToken);

    private static IssuedSvid ReadIssuedSvid(DbDataReader r) =>
        new(r.GetString(0), SpiffeId.Parse(r.GetString(1)), SqlCommands.FromUnixMs(r.GetInt64(2)), SqlCommands.NullableString(r, 3) is { } agent ? SpiffeId.Parse(agent) : null,
            r.GetString(4), SqlCommands.FromUnixMs(r.GetInt64(5)));
}
