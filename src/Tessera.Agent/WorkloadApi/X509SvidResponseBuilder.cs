using Google.Protobuf;
using Tessera.Agent.Cache;
using Tessera.Contracts.Workload;

namespace Tessera.Agent.WorkloadApi;

/// <summary>Builds the FetchX509SVID message for a caller's entries from one cache snapshot.</summary>
internal static class X509SvidResponseBuilder
{
    /// <summary>
    /// Returns the response, or null while any of <paramref name="entries"/> still has no SVID: a workload is
    /// never sent a partial or empty set it could mistake for "these are all my identities".
    /// </summary>
    public static X509SVIDResponse? Build(CacheSnapshot snapshot, IReadOnlyList<AgentEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(entries);
        var ownBundle = snapshot.Bundles.TryGetValue(snapshot.TrustDomain, out var own) ? BundleEncoding.X509Der(own) : ByteString.Empty;
        var response = new X509SVIDResponse();
        foreach (var entry in entries)
        {
            if (!snapshot.Svids.TryGetValue(entry.Id, out var svid))
            {
                return null;
            }

            response.Svids.Add(new X509SVID
            {
                SpiffeId = svid.SpiffeId.ToString(),
                X509Svid = ByteString.CopyFrom(svid.ChainDer),
                X509SvidKey = ByteString.CopyFrom(svid.KeyPkcs8),
                Bundle = ownBundle,
                Hint = entry.Hint,
            });
        }

        // Only the trust domains the caller's entries federate with: a workload must not trust a foreign trust
        // domain just because some other workload on this node does.
        foreach (var (trustDomain, bundle) in CallerBundles.For(snapshot, entries))
        {
            if (trustDomain != snapshot.TrustDomain)
            {
                response.FederatedBundles.Add(BundleEncoding.Key(trustDomain), BundleEncoding.X509Der(bundle));
            }
        }

        return response;
    }
}
