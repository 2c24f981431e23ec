using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>Own and federated trust bundles, one per trust domain.</summary>
internal interface IBundleStore
{
    /// <summary>Creates or replaces the bundle; its sequence grows by one on each call.</summary>
    Task<StoredBundle> SetBundleAsync(TrustDomain trustDomain, string json, CancellationToken cancellationToken);

    /// <summary>Returns the bundle, or null.</summary>
    Task<StoredBundle?> GetBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken);

    /// <summary>Lists every bundle ordered by trust domain.</summary>
    Task<IReadOnlyList<StoredBundle>> ListBundlesAsync(CancellationToken cancellationToken);

    /// <summary>Deletes the bundle; false if absent.</summary>
    Task<bool> DeleteBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken);
}
