using Tessera.Server.Datastore;
using Tessera.Server.Registration;
using Tessera.Spiffe.Ids;
using WireEntry = Tessera.Contracts.Admin.V1.Entry;
using WireEntryFilter = Tessera.Contracts.Admin.V1.EntryFilter;
using WireSelector = Tessera.Contracts.Admin.V1.Selector;
using WireSelectorMatch = Tessera.Contracts.Admin.V1.SelectorMatch;

namespace Tessera.Server.AdminApi;

/// <summary>Translates between the admin API's wire messages and the datastore's records, validating on the way in.</summary>
internal static class EntryMapping
{
    public static (RegistrationEntry? Entry, IReadOnlyList<string> Problems) ToEntry(WireEntry wire, EntryValidator validator)
    {
        var spec = new EntrySpec
        {
            SpiffeId = wire.SpiffeId,
            ParentId = wire.ParentId,
            Selectors = [.. wire.Selectors.Select(s => (s.Type, s.Value))],
            X509SvidTtl = TimeSpan.FromSeconds(wire.X509SvidTtlSeconds),
            JwtSvidTtl = TimeSpan.FromSeconds(wire.JwtSvidTtlSeconds),
            DnsNames = [.. wire.DnsNames],
            Admin = wire.Admin,
            Hint = wire.Hint,
            ExpiresAt = wire.ExpiresAtUnix == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(wire.ExpiresAtUnix),
            Owner = wire.Owner,
            Purpose = wire.Purpose,
            FederatesWith = [.. wire.FederatesWith],
        };
        if (wire.X509SvidTtlSeconds < 0 || wire.JwtSvidTtlSeconds < 0)
        {
            return (null, ["ttl: must not be negative"]);
        }

        var problems = validator.Validate(spec);
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        return (new RegistrationEntry
        {
            SpiffeId = SpiffeId.Parse(spec.SpiffeId),
            ParentId = SpiffeId.Parse(spec.ParentId),
            Selectors = [.. spec.Selectors.Select(s => new Selector(s.Type, s.Value))],
            X509SvidTtl = spec.X509SvidTtl,
            JwtSvidTtl = spec.JwtSvidTtl,
            DnsNames = spec.DnsNames,
            Admin = spec.Admin,
            Hint = spec.Hint,
            ExpiresAt = spec.ExpiresAt,
            Owner = spec.Owner.Trim(),
            Purpose = spec.Purpose,
            FederatesWith = [.. spec.FederatesWith.Select(TrustDomain.Parse).Distinct()],
        }, []);
    }

    public static WireEntry ToWire(RegistrationEntry entry)
    {
        var wire = new WireEntry
        {
            Id = entry.Id,
            SpiffeId = entry.SpiffeId.ToString(),
            ParentId = entry.ParentId.ToString(),
            X509SvidTtlSeconds = (int)entry.X509SvidTtl.TotalSeconds,
            JwtSvidTtlSeconds = (int)entry.JwtSvidTtl.TotalSeconds,
            Admin = entry.Admin,
            Hint = entry.Hint,
            ExpiresAtUnix = entry.ExpiresAt?.ToUnixTimeSeconds() ?? 0,
            Owner = entry.Owner,
            Purpose = entry.Purpose,
            CreatedAtUnix = entry.CreatedAt.ToUnixTimeSeconds(),
            UpdatedAtUnix = entry.UpdatedAt.ToUnixTimeSeconds(),
            Revision = entry.Revision,
        };
        wire.Selectors.AddRange(entry.Selectors.Select(s => new WireSelector { Type = s.Type, Value = s.Value }));
        wire.DnsNames.AddRange(entry.DnsNames);
        wire.FederatesWith.AddRange(entry.FederatesWith.Select(td => td.Name));
        return wire;
    }

    public static (Datastore.EntryFilter? Filter, string? Problem) ToFilter(WireEntryFilter? wire)
    {
        if (wire is null)
        {
            return (Datastore.EntryFilter.All, null);
        }

        SpiffeId? spiffeId = null;
        SpiffeId? parentId = null;
        if (wire.SpiffeId.Length > 0)
        {
            if (!SpiffeId.TryParse(wire.SpiffeId, out var id, out var error))
            {
                return (null, $"filter spiffe_id: {error}");
            }

            spiffeId = id;
        }

        if (wire.ParentId.Length > 0)
        {
            if (!SpiffeId.TryParse(wire.ParentId, out var id, out var error))
            {
                return (null, $"filter parent_id: {error}");
            }

            parentId = id;
        }

        var selectors = new List<Selector>();
        foreach (var s in wire.Selectors)
        {
            if (s.Type.Length == 0 || s.Type.Contains(':', StringComparison.Ordinal) || s.Value.Length == 0)
            {
                return (null, $"filter selector '{s.Type}:{s.Value}' is not type:value");
            }

            selectors.Add(new Selector(s.Type, s.Value));
        }

        var match = wire.SelectorMatch switch
        {
            WireSelectorMatch.Unspecified or WireSelectorMatch.Exact => SelectorMatch.Exact,
            WireSelectorMatch.Subset => SelectorMatch.Subset,
            WireSelectorMatch.Superset => SelectorMatch.Superset,
            WireSelectorMatch.Any => SelectorMatch.Any,
            _ => (SelectorMatch?)null,
        };
        if (match is null)
        {
            return (null, $"filter selector_match {(int)wire.SelectorMatch} is unknown");
        }

        return (new Datastore.EntryFilter
        {
            SpiffeId = spiffeId,
            ParentId = parentId,
            Selectors = selectors.Count == 0 ? null : selectors,
            SelectorMatch = match.Value,
            Owner = wire.Owner.Length == 0 ? null : wire.Owner,
        }, null);
    }
}
