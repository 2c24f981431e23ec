using Tessera.Agent.Cache;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.WorkloadApi;

/// <summary>
/// The bundles a caller may see: its own trust domain's, plus the federated bundles of the trust domains its
/// entries federate with (SPIRE's <c>federates_with</c>). A federated bundle no entry of the caller asks for is
/// withheld: trusting a foreign trust domain is a per-workload decision, not an agent-wide one.
/// </summary>
internal static class CallerBundles
{
    /// <summary>Returns the bundles for <paramref name="entries"/> (the caller's matching entries), ordered by trust domain.</summary>
    public static IReadOnlyList<KeyValuePair<TrustDomain, SpiffeBundle>> For(CacheSnapshot snapshot, IReadOnlyList<AgentEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(entries);
        var wanted = entries.SelectMany(e => e.FederatesWith).ToHashSet();
        wanted.Add(snapshot.TrustDomain);
        return [.. snapshot.Bundles.Where(b => wanted.Contains(b.Key)).OrderBy(b => b.Key)];
    }
}
