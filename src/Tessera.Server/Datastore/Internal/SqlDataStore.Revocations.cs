using System.Data.Common;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore.Internal;

internal sealed partial class SqlDataStore
{
    public async Task<int> AddRevocationsAsync(IReadOnlyList<Revocation> revocations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocations);
        return revocations.Count == 0
            ? 0
            : await InTransactionAsync((connection, transaction) => AddRevocationsAsync(connection, transaction, revocations, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<int> AddRevocationsAsync(DbConnection connection, DbTransaction? transaction, IReadOnlyList<Revocation> revocations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(revocations);
        var added = 0;
        foreach (var r in revocations)
        {
            // Revoking a credential twice keeps the first record (its time, reason and caller): the first revocation
            // is the one that took effect. An identity-wide JWT cutoff is the exception: a later one moves the cutoff
            // forward (tokens minted in between are revoked too); the audit log keeps every call.
            added += await SqlCommands.ExecuteAsync(connection, transaction,
                """
                INSERT INTO revocations (kind, value, spiffe_id, expires_at, reason, revoked_by, revoked_at)
                VALUES (@kind, @value, @spiffe_id, @expires_at, @reason, @revoked_by, @revoked_at)
                ON CONFLICT (kind, value) DO UPDATE SET revoked_at = excluded.revoked_at, reason = excluded.reason,
                    revoked_by = excluded.revoked_by, expires_at = excluded.expires_at
                WHERE revocations.kind = 'jwt_before' AND excluded.revoked_at > revocations.revoked_at
                    AND excluded.expires_at >= revocations.expires_at
                """,
                cancellationToken, ("@kind", RevocationKinds.ToText(r.Kind)), ("@value", r.Value), ("@spiffe_id", r.SpiffeId?.ToString() ?? string.Empty),
                ("@expires_at", SqlCommands.ToUnixMs(r.ExpiresAt)), ("@reason", r.Reason), ("@revoked_by", r.RevokedBy),
                ("@revoked_at", SqlCommands.ToUnixMs(r.RevokedAt))).ConfigureAwait(false);
        }

        return added;
    }

    public async Task<IReadOnlyList<Revocation>> ListRevocationsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        await RunAsync(connection => SqlCommands.QueryAsync(connection, null,
            """
            SELECT kind, value, spiffe_id, expires_at, reason, revoked_by, revoked_at FROM revocations
            WHERE expires_at > @now ORDER BY revoked_at, kind, value
            """,
            r => new Revocation(RevocationKinds.Parse(r.GetString(0)), r.GetString(1), r.GetString(2) is { Length: > 0 } id ? SpiffeId.Parse(id) : null, SqlCommands.FromUnixMs(r.GetInt64(3)),
                r.GetString(4), r.GetString(5), SqlCommands.FromUnixMs(r.GetInt64(6))),
            cancellationToken, ("@now", SqlCommands.ToUnixMs(now))), cancellationToken).ConfigureAwait(false);

    public Task<int> PruneRevocationsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        RunAsync(connection => SqlCommands.ExecuteAsync(connection, null, "DELETE FROM revocations WHERE expires_at <= @now", cancellationToken,
            ("@now", SqlCommands.ToUnixMs(now))), cancellationToken);
}
