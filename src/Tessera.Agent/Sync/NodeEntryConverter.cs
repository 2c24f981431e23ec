using System.Diagnostics.CodeAnalysis;
using Tessera.Agent.Cache;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Sync;

/// <summary>Turns a wire <see cref="NodeEntry"/> into the cache's <see cref="AgentEntry"/>, refusing malformed ones.</summary>
internal static class NodeEntryConverter
{
    public static bool TryConvert(NodeEntry entry, [NotNullWhen(true)] out AgentEntry? converted, [NotNullWhen(false)] out string? error)
    {
        converted = null;
        if (string.IsNullOrEmpty(entry.Id))
        {
            error = "entry without an id";
            return false;
        }

        if (!SpiffeId.TryParse(entry.SpiffeId, out var spiffeId, out var idError) || !spiffeId.HasPath)
        {
            error = $"entry {entry.Id}: spiffe_id: {idError ?? "has no path"}";
            return false;
        }

        if (!SpiffeId.TryParse(entry.ParentId, out var parentId, out var parentError))
        {
            error = $"entry {entry.Id}: parent_id: {parentError}";
            return false;
        }

        if (entry.X509SvidTtlSeconds < 0 || entry.JwtSvidTtlSeconds < 0)
        {
            error = $"entry {entry.Id}: negative TTL";
            return false;
        }

        var federatesWith = new List<TrustDomain>();
        foreach (var name in entry.FederatesWith)
        {
            if (!TrustDomain.TryParse(name, out var trustDomain, out var tdError))
            {
                error = $"entry {entry.Id}: federates_with: {tdError}";
                return false;
            }

            federatesWith.Add(trustDomain);
        }

        converted = new AgentEntry
        {
            Id = entry.Id,
            SpiffeId = spiffeId,
            ParentId = parentId,
            Selectors = [.. entry.Selectors],
            X509SvidTtl = TimeSpan.FromSeconds(entry.X509SvidTtlSeconds),
            JwtSvidTtl = TimeSpan.FromSeconds(entry.JwtSvidTtlSeconds),
            DnsNames = [.. entry.DnsNames],
            Hint = entry.Hint,
            Admin = entry.Admin,
            Revision = entry.Revision,
            ExpiresAt = entry.ExpiresAt == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(entry.ExpiresAt),
            FederatesWith = federatesWith,
        };
        error = null;
        return true;
    }
}
