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

    public async Task<IssuedSvid?> GetIssuedSvidAsync(string serial, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(connection => SqlCommands.QueryAsync(connection, null,
            "SELECT serial, spiffe_id, expires_at, issued_to FROM issued_svids WHERE serial = @serial",
            r => new IssuedSvid(r.GetString(0), SpiffeId.Parse(r.GetString(1)), SqlCommands.FromUnixMs(r.GetInt64(2)),
                SqlCommands.NullableString(r, 3) is { } agent ? SpiffeId.Parse(agent) : null),
            cancellationToken, ("@serial", serial)), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }
}
