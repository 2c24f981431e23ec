using Grpc.Core;
using Tessera.Agent.Cache;
using Tessera.Contracts.Workload;

namespace Tessera.Agent.WorkloadApi;

/// <summary>
/// The SPIFFE Workload API (service <c>SpiffeWorkloadAPI</c>) served from the agent's <see cref="IdentityCache"/>.
/// Every call is attested first; streams send a first message once the cache is synced and the caller's SVIDs
/// are there, then a new one whenever what this caller would receive changes, and never an empty one.
/// </summary>
internal sealed partial class WorkloadApiService(IdentityCache cache, WorkloadCallers callers, IJwtSvidMinter minter, TimeProvider time)
    : SpiffeWorkloadAPI.SpiffeWorkloadAPIBase
{
    private const string FetchX509SvidAction = "workload.fetch_x509_svid";
    private const string FetchJwtSvidAction = "workload.fetch_jwt_svid";

    /// <summary>
    /// Streams <paramref name="project"/>'s view of each cache snapshot: nothing while it returns null (not ready),
    /// a message whenever it returns one that differs from the last sent. <paramref name="project"/> ends the
    /// stream by throwing an <see cref="RpcException"/>; the client ends it by going away.
    /// </summary>
    private async Task StreamAsync<TResponse>(Func<CacheSnapshot, TResponse?> project, IServerStreamWriter<TResponse> stream, CancellationToken cancellationToken)
        where TResponse : class
    {
        TResponse? last = null;
        while (true)
        {
            var snapshot = cache.Current;
            if (snapshot.Synced && project(snapshot) is { } response && !response.Equals(last))
            {
                await stream.WriteAsync(response, cancellationToken).ConfigureAwait(false);
                last = response;
            }

            await cache.WaitForChangeAsync(snapshot.Version, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Returns the first synced snapshot (at once once the agent has synced).</summary>
    private async Task<CacheSnapshot> SyncedSnapshotAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var snapshot = cache.Current;
            if (snapshot.Synced)
            {
                return snapshot;
            }

            await cache.WaitForChangeAsync(snapshot.Version, cancellationToken).ConfigureAwait(false);
        }
    }
}
