using System.Data.Common;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore.Internal;

internal sealed partial class SqlDataStore
{
    public Task<StoredBundle> SetBundleAsync(TrustDomain trustDomain, string json, CancellationToken cancellationToken) =>
        RunAsync(connection => SetBundleAsync(connection, null, trustDomain, json, cancellationToken), cancellationToken);

    internal static async Task<StoredBundle> SetBundleAsync(DbConnection connection, DbTransaction? transaction, TrustDomain trustDomain, string json, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(json);
        var rows = await SqlCommands.QueryAsync(connection, transaction, """
            INSERT INTO bundles (trust_domain, json, seq) VALUES (@td, @json, 1)
            ON CONFLICT (trust_domain) DO UPDATE SET json = excluded.json, seq = bundles.seq + 1
            RETURNING seq
            """, r => r.GetInt64(0), cancellationToken, ("@td", trustDomain.Name), ("@json", json)).ConfigureAwait(false);
        return new StoredBundle(trustDomain, json, rows[0]);
    }

    public async Task<StoredBundle?> GetBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken)
    {
        var rows = await RunAsync(connection => SqlCommands.QueryAsync(connection, null,
            "SELECT trust_domain, json, seq FROM bundles WHERE trust_domain = @td", ReadBundle, cancellationToken,
            ("@td", trustDomain.Name)), cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<StoredBundle>> ListBundlesAsync(CancellationToken cancellationToken) =>
        await RunAsync(connection => SqlCommands.QueryAsync(connection, null,
            "SELECT trust_domain, json, seq FROM bundles ORDER BY trust_domain", ReadBundle, cancellationToken), cancellationToken).ConfigureAwait(false);

    public Task<bool> DeleteBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken) =>
        RunAsync(connection => DeleteBundleAsync(connection, null, trustDomain, cancellationToken), cancellationToken);

    internal static async Task<bool> DeleteBundleAsync(DbConnection connection, DbTransaction? transaction, TrustDomain trustDomain, CancellationToken cancellationToken) =>
        await SqlCommands.ExecuteAsync(connection, transaction, "DELETE FROM bundles WHERE trust_domain = @td",
            cancellationToken, ("@td", trustDomain.Name)).ConfigureAwait(false) > 0;

    private static StoredBundle ReadBundle(DbDataReader r) =>
        new(TrustDomain.Parse(r.GetString(0)), r.GetString(1), r.GetInt64(2));
}
