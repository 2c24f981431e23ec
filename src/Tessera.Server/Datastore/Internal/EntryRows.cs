using System.Data.Common;
using System.Text.Json;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore.Internal;

/// <summary>Column list, parameters and row mapping of the <c>entries</c> table.</summary>
internal static class EntryRows
{
    public const string Columns =
        "e.id, e.spiffe_id, e.parent_id, e.selectors_json, e.x509_ttl_s, e.jwt_ttl_s, e.dns_names_json, e.admin, " +
        "e.hint, e.expires_at, e.owner, e.purpose, e.created_at, e.updated_at, e.revision, e.federates_with_json";

    public static RegistrationEntry Read(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        SpiffeId = SpiffeId.Parse(r.GetString(1)),
        ParentId = SpiffeId.Parse(r.GetString(2)),
        Selectors = SelectorSet.FromJson(r.GetString(3)),
        X509SvidTtl = TimeSpan.FromSeconds(r.GetInt64(4)),
        JwtSvidTtl = TimeSpan.FromSeconds(r.GetInt64(5)),
        DnsNames = JsonSerializer.Deserialize<List<string>>(r.GetString(6)) ?? [],
        Admin = r.GetInt32(7) != 0,
        Hint = r.GetString(8),
        ExpiresAt = r.IsDBNull(9) ? null : SqlCommands.FromUnixMs(r.GetInt64(9)),
        Owner = r.GetString(10),
        Purpose = r.GetString(11),
        CreatedAt = SqlCommands.FromUnixMs(r.GetInt64(12)),
        UpdatedAt = SqlCommands.FromUnixMs(r.GetInt64(13)),
        Revision = r.GetInt64(14),
        FederatesWith = [.. (JsonSerializer.Deserialize<List<string>>(r.GetString(15)) ?? []).Select(TrustDomain.Parse)],
    };

    /// <summary>Parameters for every column but id, timestamps and revision, from an entry with canonical selectors.</summary>
    public static List<(string Name, object? Value)> Parameters(RegistrationEntry entry, List<string> canonicalSelectors) =>
    [
        ("@spiffe_id", entry.SpiffeId.ToString()),
        ("@parent_id", entry.ParentId.ToString()),
        ("@selector_hash", SelectorSet.Hash(canonicalSelectors)),
        ("@selectors_json", SelectorSet.ToJson(canonicalSelectors)),
        ("@x509_ttl_s", (long)entry.X509SvidTtl.TotalSeconds),
        ("@jwt_ttl_s", (long)entry.JwtSvidTtl.TotalSeconds),
        ("@dns_names_json", JsonSerializer.Serialize(entry.DnsNames)),
        ("@admin", entry.Admin ? 1 : 0),
        ("@hint", entry.Hint),
        ("@expires_at", entry.ExpiresAt is { } expiresAt ? SqlCommands.ToUnixMs(expiresAt) : null),
        ("@owner", entry.Owner),
        ("@purpose", entry.Purpose),
        ("@federates_with_json", JsonSerializer.Serialize(entry.FederatesWith.Select(td => td.Name))),
    ];
}
