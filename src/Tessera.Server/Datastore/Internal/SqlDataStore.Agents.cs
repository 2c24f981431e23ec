using System.Data.Common;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore.Internal;

internal sealed partial class SqlDataStore
{
    private const string AgentColumns = "spiffe_id, attestation_type, svid_serial, expires_at, banned, selectors_json, prev_svid_serial, prev_svid_grace_until";

    public Task UpsertAgentAsync(AttestedAgent agent, CancellationToken cancellationToken) =>
        RunAsync(connection => UpsertAgentAsync(connection, null, agent, cancellationToken), cancellationToken);

    internal static Task<int> UpsertAgentAsync(DbConnection connection, DbTransaction? transaction, AttestedAgent agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        // INSERT ... ON CONFLICT DO UPDATE is one atomic statement in both SQLite (3.24+) and PostgreSQL.
        return SqlCommands.ExecuteAsync(connection, transaction, $"""
            INSERT INTO agents ({AgentColumns}) VALUES (@spiffe_id, @type, @serial, @expires_at, @banned, @selectors, @prev_serial, @prev_grace)
            ON CONFLICT (spiffe_id) DO UPDATE SET attestation_type = excluded.attestation_type,
                svid_serial = excluded.svid_serial, expires_at = excluded.expires_at, banned = excluded.banned,
                selectors_json = excluded.selectors_json, prev_svid_serial = excluded.prev_svid_serial,
                prev_svid_grace_until = excluded.prev_svid_grace_until
            """, cancellationToken,
            ("@spiffe_id", agent.SpiffeId.ToString()), ("@type", agent.AttestationType), ("@serial", agent.SvidSerial),
            ("@expires_at", SqlCommands.ToUnixMs(agent.ExpiresAt)), ("@banned", agent.Banned ? 1 : 0),
            ("@selectors", SelectorSet.ToJson(SelectorSet.Canonical(agent.Selectors))),
            ("@prev_serial", agent.PreviousSvidSerial), ("@prev_grace", SqlCommands.ToUnixMs(agent.PreviousSvidGraceUntil)));
    }

    public Task<AttestedAgent?> GetAgentAsync(SpiffeId spiffeId, CancellationToken cancellationToken) =>
        RunAsync(connection => GetAgentAsync(connection, null, spiffeId, cancellationToken), cancellationToken);

    internal static async Task<AttestedAgent?> GetAgentAsync(DbConnection connection, DbTransaction? transaction, SpiffeId spiffeId, CancellationToken cancellationToken)
    {
        var rows = await SqlCommands.QueryAsync(connection, transaction,
            $"SELECT {AgentColumns} FROM agents WHERE spiffe_id = @spiffe_id", ReadAgent, cancellationToken,
            ("@spiffe_id", spiffeId.ToString())).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<AttestedAgent>> ListAgentsAsync(CancellationToken cancellationToken) =>
        await RunAsync(connection => SqlCommands.QueryAsync(connection, null,
            $"SELECT {AgentColumns} FROM agents ORDER BY spiffe_id", ReadAgent, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<bool> DeleteAgentAsync(SpiffeId spiffeId, CancellationToken cancellationToken) =>
        RunAsync(connection => DeleteAgentAsync(connection, null, spiffeId, cancellationToken), cancellationToken);

    internal static async Task<bool> DeleteAgentAsync(DbConnection connection, DbTransaction? transaction, SpiffeId spiffeId, CancellationToken cancellationToken) =>
        await SqlCommands.ExecuteAsync(connection, transaction, "DELETE FROM agents WHERE spiffe_id = @spiffe_id",
            cancellationToken, ("@spiffe_id", spiffeId.ToString())).ConfigureAwait(false) > 0;

    private static AttestedAgent ReadAgent(DbDataReader r) => new()
    {
        SpiffeId = SpiffeId.Parse(r.GetString(0)),
        AttestationType = r.GetString(1),
        SvidSerial = r.GetString(2),
        ExpiresAt = SqlCommands.FromUnixMs(r.GetInt64(3)),
        Banned = r.GetInt32(4) != 0,
        Selectors = SelectorSet.FromJson(r.GetString(5)),
        PreviousSvidSerial = r.GetString(6),
        PreviousSvidGraceUntil = SqlCommands.FromUnixMs(r.GetInt64(7)),
    };
}
