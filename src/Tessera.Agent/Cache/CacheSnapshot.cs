using System.Collections.Immutable;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;

namespace Tessera.Agent.Cache;

/// <summary>
/// An immutable view of everything the agent can serve: its entries, the SVIDs signed for them (by entry id)
/// and the bundles of every trust domain it knows (its own and federated ones). Readers take a snapshot and
/// never see a half-applied change. It also holds the deny list of revoked credentials.
/// </summary>
internal sealed record CacheSnapshot
{
    /// <summary>Grows by one on every published change.</summary>
    public long Version { get; init; }

    public required TrustDomain TrustDomain { get; init; }

    /// <summary>True once the first full entry set has arrived from the server (or was restored from disk).</summary>
    public bool Synced { get; init; }

    public ImmutableDictionary<string, AgentEntry> Entries { get; init; } = ImmutableDictionary<string, AgentEntry>.Empty.WithComparers(StringComparer.Ordinal);

    public ImmutableDictionary<string, CachedSvid> Svids { get; init; } = ImmutableDictionary<string, CachedSvid>.Empty.WithComparers(StringComparer.Ordinal);

    public ImmutableDictionary<TrustDomain, SpiffeBundle> Bundles { get; init; } = ImmutableDictionary<TrustDomain, SpiffeBundle>.Empty;

    /// <summary>The server's deny list: no SVID in <see cref="Svids"/> has a revoked serial.</summary>
    public DenyList Revoked { get; init; } = DenyList.Empty;

    /// <summary>
    /// The entries a caller with <paramref name="callerSelectors"/> is entitled to: those whose selectors are
    /// <b>all</b> among the caller's (the workload's multi-factor check). Ordered by SPIFFE ID then entry id so
    /// the default identity (the first) is stable.
    /// </summary>
    public IReadOnlyList<AgentEntry> Match(IReadOnlySet<string> callerSelectors)
    {
        ArgumentNullException.ThrowIfNull(callerSelectors);
        var matched = new List<AgentEntry>();
        foreach (var entry in Entries.Values)
        {
            // An entry with no selectors would match everyone; the server never sends one, and we refuse to guess.
            if (entry.Selectors.Count > 0 && entry.Selectors.All(callerSelectors.Contains))
            {
                matched.Add(entry);
            }
        }

        matched.Sort(static (a, b) =>
        {
            var byId = string.CompareOrdinal(a.SpiffeId.ToString(), b.SpiffeId.ToString());
            return byId != 0 ? byId : string.CompareOrdinal(a.Id, b.Id);
        });
        return matched;
    }
}
