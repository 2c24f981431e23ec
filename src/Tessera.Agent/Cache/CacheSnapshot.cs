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

    private readonly ImmutableDictionary<string, AgentEntry> _entries = ImmutableDictionary<string, AgentEntry>.Empty.WithComparers(StringComparer.Ordinal);

    // Built on the first Match of a snapshot and shared by every later snapshot with the same entries (a `with` that
    // leaves Entries alone copies it; one that sets Entries drops it). SVID publishes, the frequent kind, keep it.
    private readonly IndexHolder _index = new();

    public ImmutableDictionary<string, AgentEntry> Entries
    {
        get => _entries;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _entries = value;
            _index = new IndexHolder();
        }
    }

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
        return _index.Get(_entries).Match(callerSelectors);
    }

    /// <summary>
    /// The lazily built <see cref="SelectorIndex"/> of one entry set. A holder rather than a field of the record so
    /// that it takes no part in the record's equality: snapshots with the same content stay equal whether or not
    /// one of them was matched against yet.
    /// </summary>
    private sealed class IndexHolder
    {
        private SelectorIndex? _built;

        public SelectorIndex Get(ImmutableDictionary<string, AgentEntry> entries)
        {
            // Two threads may both build it on a new snapshot; they build the same thing, and one of them is kept.
            if (Volatile.Read(ref _built) is { } index)
            {
                return index;
            }

            var built = SelectorIndex.Build(entries.Values);
            return Interlocked.CompareExchange(ref _built, built, null) ?? built;
        }

        public override bool Equals(object? obj) => obj is IndexHolder;

        public override int GetHashCode() => 0;
    }
}
