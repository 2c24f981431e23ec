using System.Collections.Immutable;
using Tessera.Agent.Cache;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;

namespace Tessera.Agent.Sync;

/// <summary>
/// Applies one <see cref="SyncResponse"/> to a cache snapshot: a full message replaces the entry set (anything
/// not in it is dropped, with its SVID), a later one applies upserts and deletes; a non-empty bundle list replaces
/// every bundle; revocations extend (full: replace) the deny list and drop revoked SVIDs. Pure: the caller publishes the result. Malformed entries and bundles are skipped and reported.
/// </summary>
internal static class SyncApplier
{
    public static CacheSnapshot Apply(CacheSnapshot snapshot, SyncResponse response, DateTimeOffset now, List<string> problems)
    {
        var entries = response.Full ? snapshot.Entries.Clear() : snapshot.Entries;
        var builder = entries.ToBuilder();
        foreach (var wire in response.Entries)
        {
            if (NodeEntryConverter.TryConvert(wire, out var entry, out var error))
            {
                builder[entry.Id] = entry;
            }
            else
            {
                problems.Add(error);
            }
        }

        foreach (var id in response.DeletedEntryIds)
        {
            builder.Remove(id);
        }

        var nextEntries = builder.ToImmutable();

        // The SVID of an entry that is gone is dropped in the same publish: a workload must not be served an
        // identity one moment after its entry was deleted.
        // A full message carries the whole deny list, a later one what was added. A revoked SVID goes in the same
        // publish too (open Workload API streams get the set without it), and the SVID manager signs a new one.
        var revoked = NodeRevocationApplier.Apply(response.Full ? DenyList.Empty : snapshot.Revoked, response.Revocations, problems).Prune(now);
        var svids = snapshot.Svids;
        foreach (var (id, svid) in snapshot.Svids)
        {
            if (!nextEntries.ContainsKey(id) || revoked.IsSerialRevoked(svid.Serial))
            {
                svids = svids.Remove(id);
            }
        }

        var bundles = response.Bundles.Count == 0 ? snapshot.Bundles : ParseBundles(snapshot.Bundles, response.Bundles, problems);
        return snapshot with
        {
            Entries = nextEntries,
            Svids = svids,
            Bundles = bundles,
            Revoked = revoked,
            Synced = snapshot.Synced || response.Full,
        };
    }

    private static ImmutableDictionary<TrustDomain, SpiffeBundle> ParseBundles(ImmutableDictionary<TrustDomain, SpiffeBundle> current, IEnumerable<NodeBundle> wire, List<string> problems)
    {
        var result = ImmutableDictionary.CreateBuilder<TrustDomain, SpiffeBundle>();
        foreach (var bundle in wire)
        {
            if (!TrustDomain.TryParse(bundle.TrustDomain, out var trustDomain, out var tdError))
            {
                problems.Add($"bundle: trust domain: {tdError}");
                continue;
            }

            try
            {
                result[trustDomain] = SpiffeBundle.Parse(trustDomain, bundle.Json);
            }
            catch (FormatException ex)
            {
                // Keep serving the previous bundle of that trust domain rather than none: dropping it would fail
                // every peer of that domain because of one bad push.
                problems.Add($"bundle {trustDomain}: {ex.Message}");
                if (current.TryGetValue(trustDomain, out var previous))
                {
                    result[trustDomain] = previous;
                }
            }
        }

        return result.ToImmutable();
    }
}
