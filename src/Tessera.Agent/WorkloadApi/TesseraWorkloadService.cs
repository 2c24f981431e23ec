using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Tessera.Agent.Cache;
using Tessera.Contracts.Workload.V1;
using Tessera.Spiffe.Revocation;

namespace Tessera.Agent.WorkloadApi;

/// <summary>
/// Tessera's Workload API extensions (service <c>tessera.workload.v1.TesseraWorkload</c>) on the Workload API
/// socket. <c>WatchDenyList</c> streams the revocation deny list the server pushed to this agent, so that
/// workloads' own enforcement points (the SDK's TLS and JWT checks, <c>tessera proxy</c>) refuse revoked
/// credentials that are still unexpired and correctly signed. Callers are attested like every Workload API caller
/// (and refused when attestation fails), but need no registration entry: revocations are not secret, and a
/// workload that only verifies peers needs them too.
/// </summary>
internal sealed class TesseraWorkloadService(IdentityCache cache, WorkloadCallers callers, DenyListVersions versions, TimeProvider time, IHostApplicationLifetime lifetime)
    : TesseraWorkload.TesseraWorkloadBase
{
    private const string WatchDenyListAction = "workload.watch_deny_list";

    // A record leaving the list by expiry changes nothing in the cache, so the stream also wakes when the next one
    // expires; the cap bounds the wait should a record carry an absurd expiry.
    private static readonly TimeSpan MaxPruneWait = TimeSpan.FromHours(1);

    public override async Task WatchDenyList(DenyListRequest request, IServerStreamWriter<DenyListResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(responseStream);
        await callers.AttestAsync(context, WatchDenyListAction).ConfigureAwait(false);

        // As the SPIFFE streams do: end with the agent, so SIGTERM shuts down at once (clients reconnect).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        DenyList? sent = null;
        try
        {
            while (true)
            {
                var snapshot = cache.Current;
                var now = time.GetUtcNow();

                // Before the first sync the agent knows no revocations yet; the empty list it would send could let
                // a revoked peer in, so the first message waits for a synced cache (as the SVID streams do).
                if (snapshot.Synced)
                {
                    var list = snapshot.Revoked.Prune(now);
                    if (sent is null || !list.SameRecords(sent))
                    {
                        await responseStream.WriteAsync(DenyListEncoding.ToResponse(list, versions.Next()), stopping.Token).ConfigureAwait(false);
                        sent = list;
                    }
                }

                using var expired = new CancellationTokenSource(PruneWait(sent, now), time);
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token, expired.Token);

                try
                {
                    await cache.WaitForChangeAsync(snapshot.Version, wake.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
                {
                    // The next record expired: loop to send the pruned list.
                }
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "agent is shutting down"));
        }
    }

    /// <summary>Returns how long until the first record of <paramref name="list"/> expires (infinite when none).</summary>
    private static TimeSpan PruneWait(DenyList? list, DateTimeOffset now)
    {
        if (list is null || list.Count == 0)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var next = list.Serials.Values.Concat(list.JwtIds.Values).Concat(list.JwtIssuedBefore.Values.Select(r => r.Until)).Min();
        var wait = next - now;
        return wait <= TimeSpan.Zero ? TimeSpan.FromMilliseconds(1) : wait > MaxPruneWait ? MaxPruneWait : wait;
    }
}
