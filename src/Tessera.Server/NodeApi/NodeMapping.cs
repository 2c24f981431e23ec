using Tessera.Contracts.Node.V1;
using Tessera.Server.Datastore;

namespace Tessera.Server.NodeApi;

/// <summary>Translates datastore records to node API messages, and cleans strings agents report.</summary>
internal static class NodeMapping
{
    private const int MaxReportedField = 512;

    public static NodeEntry ToWire(RegistrationEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var wire = new NodeEntry
        {
            Id = entry.Id,
            SpiffeId = entry.SpiffeId.ToString(),
            ParentId = entry.ParentId.ToString(),
            X509SvidTtlSeconds = (long)entry.X509SvidTtl.TotalSeconds,
            JwtSvidTtlSeconds = (long)entry.JwtSvidTtl.TotalSeconds,
            Hint = entry.Hint,
            Admin = entry.Admin,
            Revision = entry.Revision,
            ExpiresAt = entry.ExpiresAt?.ToUnixTimeSeconds() ?? 0,
        };
        wire.Selectors.AddRange(entry.Selectors.Select(s => s.ToString()));
        wire.DnsNames.AddRange(entry.DnsNames);
        wire.FederatesWith.AddRange(entry.FederatesWith.Select(td => td.Name));
        return wire;
    }

    /// <summary>A peer-supplied string made safe for the audit log and the server log: no control characters, bounded length.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var cleaned = string.Concat(text.Select(c => char.IsControl(c) ? '?' : c));
        return cleaned.Length <= MaxReportedField ? cleaned : cleaned[..MaxReportedField] + "…";
    }
}
