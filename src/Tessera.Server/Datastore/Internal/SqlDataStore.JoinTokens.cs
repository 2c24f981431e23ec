using System.Data.Common;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore.Internal;

internal sealed partial class SqlDataStore
{
    public Task<JoinToken> CreateJoinTokenAsync(string token, SpiffeId? spiffeId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        RunAsync(connection => CreateJoinTokenAsync(connection, null, token, spiffeId, expiresAt, cancellationToken), cancellationToken);

    internal async Task<JoinToken> CreateJoinTokenAsync(DbConnection connection, DbTransaction? transaction, string token, SpiffeId? spiffeId, DateTimeOffset expiresAt, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var stored = new JoinToken(JoinTokenHash.Compute(token), spiffeId, SqlCommands.Truncate(expiresAt));
        try
        {
            await SqlCommands.ExecuteAsync(connection, transaction,
                "INSERT INTO join_tokens (token_hash, spiffe_id, expires_at) VALUES (@hash, @spiffe_id, @expires_at)", cancellationToken,
                ("@hash", stored.TokenHash), ("@spiffe_id", spiffeId?.ToString()), ("@expires_at", SqlCommands.ToUnixMs(stored.ExpiresAt))).ConfigureAwait(false);
        }
        catch (Exception exception) when (_dialect.IsUniqueViolation(exception))
        {
            throw new DataStoreConflictException(DataStoreConflict.DuplicateJoinToken, "this join token already exists", exception);
        }

        return stored;
    }

    public Task<JoinToken?> ConsumeJoinTokenAsync(string token, CancellationToken cancellationToken) =>
        RunAsync(connection => ConsumeJoinTokenAsync(connection, null, token, cancellationToken), cancellationToken);

    internal async Task<JoinToken?> ConsumeJoinTokenAsync(DbConnection connection, DbTransaction? transaction, string token, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        // A single DELETE ... RETURNING is atomic on both databases: of concurrent consumers exactly one
        // deletes the row and gets it back. Expired tokens are not consumed (they are pruned separately).
        var rows = await SqlCommands.QueryAsync(connection, transaction,
            "DELETE FROM join_tokens WHERE token_hash = @hash AND expires_at > @now RETURNING token_hash, spiffe_id, expires_at",
            r => new JoinToken(
                r.GetString(0),
                SqlCommands.NullableString(r, 1) is { } id ? SpiffeId.Parse(id) : null,
                SqlCommands.FromUnixMs(r.GetInt64(2))),
            cancellationToken, ("@hash", JoinTokenHash.Compute(token)), ("@now", SqlCommands.ToUnixMs(_timeProvider.GetUtcNow()))).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<int> PruneJoinTokensAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        RunAsync(connection => SqlCommands.ExecuteAsync(connection, null, "DELETE FROM join_tokens WHERE expires_at <= @before",
            cancellationToken, ("@before", SqlCommands.ToUnixMs(before))), cancellationToken);
}
