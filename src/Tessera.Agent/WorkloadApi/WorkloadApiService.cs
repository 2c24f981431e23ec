using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Tessera.Agent.Cache;
using Tessera.Contracts.Workload;

namespace Tessera.Agent.WorkloadApi;

/// <summary>
/// The SPIFFE Workload API (service <c>SpiffeWorkloadAPI</c>) served from the agent's <see cref="IdentityCache"/>.
/// Every call is attested first; streams send a first message once the cache is synced and the caller's SVIDs
/// are there, then a new one whenever what this caller would receive changes, and never an empty one.
/// </summary>
internal sealed partial class WorkloadApiService(IdentityCache cache, WorkloadCallers callers, IJwtSvidMinter minter, TimeProvider time, IHostApplicationLifetime lifetime)
    : SpiffeWorkloadAPI.SpiffeWorkloadAPIBase
{
    private const string FetchX509SvidAction = "workload.fetch_x509_svid";
    private const string FetchJwtSvidAction = "workload.fetch_jwt_svid";
    private const string FetchX509BundlesAction = "workload.fetch_x509_bundles";
    private const string FetchJwtBundlesAction = "workload.fetch_jwt_bundles";
    private const string ValidateJwtSvidAction = "workload.validate_jwt_svid";

    /// <summary>
    /// Streams <paramref name="project"/>'s view of each cache snapshot: nothing while it returns null (not ready),
    /// a message whenever it returns one that differs from the last sent. <paramref name="project"/> ends the
    /// stream by throwing an <see cref="RpcException"/>; the client ends it by going away.
    /// </summary>
    private async Task StreamAsync<TResponse>(Func<CacheSnapshot, TResponse?> project, IServerStreamWriter<TResponse> stream, CancellationToken cancellationToken)
        where TResponse : class
    {
        // Streams never end by themselves and Kestrel waits for open requests before the host stops: end them when
        // the agent is stopping, so SIGTERM shuts down at once (clients reconnect to the restarted agent).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        TResponse? last = null;
        try
        {
            while (true)
            {
                var snapshot = cache.Current;
                if (snapshot.Synced && project(snapshot) is { } response && !response.Equals(last))
                {
                    await stream.WriteAsync(response, stopping.Token).ConfigureAwait(false);
                    last = response;
                }

                await cache.WaitForChangeAsync(snapshot.Version, stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "agent is shutting down"));
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
