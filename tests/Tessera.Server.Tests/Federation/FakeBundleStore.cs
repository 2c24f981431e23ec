using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Federation;

/// <summary>An in-memory bundle store with the datastore's sequence rule (one more per write).</summary>
internal sealed class FakeBundleStore : IBundleStore
{
    private readonly Dictionary<TrustDomain, StoredBundle> _bundles = [];

    public int Writes { get; private set; }

    public Task<StoredBundle> SetBundleAsync(TrustDomain trustDomain, string json, CancellationToken cancellationToken)
    {
        Writes++;
        var stored = new StoredBundle(trustDomain, json, (_bundles.GetValueOrDefault(trustDomain)?.Sequence ?? 0) + 1);
        _bundles[trustDomain] = stored;
        return Task.FromResult(stored);
    }

    public Task<StoredBundle?> GetBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken) =>
        Task.FromResult(_bundles.GetValueOrDefault(trustDomain));

    public Task<IReadOnlyList<StoredBundle>> ListBundlesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredBundle>>([.. _bundles.Values]);

    public Task<bool> DeleteBundleAsync(TrustDomain trustDomain, CancellationToken cancellationToken) =>
        Task.FromResult(_bundles.Remove(trustDomain));
}
