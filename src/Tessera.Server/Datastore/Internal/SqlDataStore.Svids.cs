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
                "INSERT INTO issued_svids (serial, spiffe_id, expires_at, issued_to) VALUES (@serial, @spiffe_id, @expires_at, @issued_to)",
                cancellationToken, ("@serial", svid.Serial), ("@spiffe_id", svid.SpiffeId.ToString()),
                ("@expires_at", SqlCommands.ToUnixMs(svid.ExpiresAt)), ("@issued_to", svid.IssuedTo?.ToString())).ConfigureAwait(false);
        }

        return svids.Count;
    }

    public Task<IssuedSvid?> GetIssuedSvidAsync(string serial, CancellationToken cancellationToken) =>
        RunAsync(connection => GetIssuedSvidAsync(connection, null, serial, cancellationToken), cancellationToken);

    internal static async Task<IssuedSvid?> GetIssuedSvidAsync(DbConnection connection, DbTransaction? transaction, string serial, CancellationToken cancellationToken)
    {
        var rows = await SqlCommands.QueryAsync(connection, transaction,
            "SELECT serial, spiffe_id, expires_at, issued_to FROM issued_svids WHERE serial = @serial",
            ReadIssuedSvid, cancellationToken, ("@serial", serial)).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<IReadOnlyList<IssuedSvid>> ListCurrentIssuedSvidsAsync(SpiffeId? spiffeId, SpiffeId? issuedTo, DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(connection => ListCurrentIssuedSvidsAsync(connection, null, spiffeId, issuedTo, now, cancellationToken), cancellationToken);

    internal static async Task<IReadOnlyList<IssuedSvid>> ListCurrentIssuedSvidsAsync(DbConnection connection, DbTransaction? transaction, SpiffeId? spiffeId, SpiffeId? issuedTo, DateTimeOffset now, CancellationToken cancellationToken) =>
        await SqlCommands.QueryAsync(connection, transaction,
            // The casts give PostgreSQL a type for a parameter that may be null (SQLite ignores them).
            """
            SELECT serial, spiffe_id, expires_at, issued_to FROM issued_svids
            WHERE expires_at > @now AND (CAST(@spiffe_id AS TEXT) IS NULL OR spiffe_id = CAST(@spiffe_id AS TEXT))
              AND (CAST(@issued_to AS TEXT) IS NULL OR issued_to = CAST(@issued_to AS TEXT))
            ORDER BY expires_at, serial
            """,
            ReadIssuedSvid, cancellationToken, ("@now", SqlCommands.ToUnixMs(now)), ("@spiffe_id", spiffeId?.ToString()), ("@issued_to", issuedTo?.ToString())).ConfigureAwait(false);

    private static IssuedSvid ReadIssuedSvid(DbDataReader r) =>
        new(r.GetString(0), SpiffeId.Parse(r.GetString(1)), SqlCommands.FromUnixMs(r.GetInt64(2)), SqlCommands.NullableString(r, 3) is { } agent ? SpiffeId.Parse(agent) : null);
}
