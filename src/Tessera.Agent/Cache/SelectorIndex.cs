namespace Tessera.Agent.Cache;

/// <summary>
/// The entries of one cache snapshot by selector, so that matching a caller costs what the caller's selectors
/// point at rather than a scan of every entry. Each entry is filed under exactly one of its selectors, the one the
/// fewest entries share: an entry matches only a caller that has <b>all</b> its selectors, so that one in
/// particular, and the caller's selectors then reach every entry that can match, each once. Immutable after
/// <see cref="Build"/>; safe to read from any thread.
/// </summary>
/// <remarks>
/// Selectors are canonical <c>type:value</c> strings and are compared ordinally, as the caller's selector sets
/// compare them (<see cref="WorkloadAttestation.AttestationResult"/>).
/// </remarks>
internal sealed class SelectorIndex
{
    /// <summary>The order callers see: by SPIFFE ID, then entry id, so the default identity (the first) is stable.</summary>
    public static readonly Comparison<AgentEntry> Order = static (a, b) =>
    {
        var byId = string.CompareOrdinal(a.SpiffeId.ToString(), b.SpiffeId.ToString());
        return byId != 0 ? byId : string.CompareOrdinal(a.Id, b.Id);
    };

    private readonly Dictionary<string, AgentEntry[]> _byKey;

    private SelectorIndex(Dictionary<string, AgentEntry[]> byKey) => _byKey = byKey;

    /// <summary>Gets how many selectors file at least one entry.</summary>
    public int KeyCount => _byKey.Count;

    /// <summary>Indexes <paramref name="entries"/>; entries without selectors are left out (they never match).</summary>
    public static SelectorIndex Build(IEnumerable<AgentEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        AgentEntry[] all = [.. entries];
        var shared = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var entry in all)
        {
            foreach (var selector in entry.Selectors)
            {
                shared[selector] = shared.GetValueOrDefault(selector) + 1;
            }
        }

        var buckets = new Dictionary<string, List<AgentEntry>>(StringComparer.Ordinal);
        foreach (var entry in all)
        {
            // An entry with no selectors would match everyone; the server never sends one, and we refuse to guess.
            if (KeyOf(entry, shared) is not { } key)
            {
                continue;
            }

            if (!buckets.TryGetValue(key, out var bucket))
            {
                bucket = [];
                buckets[key] = bucket;
            }

            bucket.Add(entry);
        }

        return new SelectorIndex(buckets.ToDictionary(b => b.Key, b => b.Value.ToArray(), StringComparer.Ordinal));
    }

    /// <summary>
    /// The entries whose selectors are <b>all</b> among <paramref name="callerSelectors"/>, in <see cref="Order"/>.
    /// </summary>
    public List<AgentEntry> Match(IReadOnlySet<string> callerSelectors)
    {
        ArgumentNullException.ThrowIfNull(callerSelectors);
        var matched = new List<AgentEntry>();
        foreach (var selector in callerSelectors)
        {
            if (!_byKey.TryGetValue(selector, out var candidates))
            {
                continue;
            }

            foreach (var entry in candidates)
            {
                if (HasAll(callerSelectors, entry.Selectors))
                {
                    matched.Add(entry);
                }
            }
        }

        matched.Sort(Order);
        return matched;
    }

    private static bool HasAll(IReadOnlySet<string> caller, IReadOnlyList<string> required)
    {
        for (var i = 0; i < required.Count; i++)
        {
            if (!caller.Contains(required[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The entry's least shared selector (ordinal first on a tie, so the choice is deterministic), or null.</summary>
    private static string? KeyOf(AgentEntry entry, Dictionary<string, int> shared)
    {
        string? key = null;
        var fewest = int.MaxValue;
        foreach (var selector in entry.Selectors)
        {
            var count = shared[selector];
            if (count < fewest || (count == fewest && string.CompareOrdinal(selector, key) < 0))
            {
                key = selector;
                fewest = count;
            }
        }

        return key;
    }
}
