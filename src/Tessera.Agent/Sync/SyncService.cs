using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Cache;
using Tessera.Agent.Hosting;
using Tessera.Agent.Internal;
using Tessera.Agent.NodeAttestation;
using Tessera.Agent.NodeClient;
using Tessera.Contracts.Node.V1;

namespace Tessera.Agent.Sync;

/// <summary>
/// Consumes the server's Sync stream into the <see cref="IdentityCache"/>. Reconnects with exponential backoff and
/// jitter (200 ms doubling to 10 s) and gets a full resync on every new stream. While the server is away nothing is
/// removed from the cache: the SVID manager keeps serving cached SVIDs until they expire.
/// </summary>
internal sealed partial class SyncService(
    NodeConnection connection,
    AgentIdentity identity,
    IdentityCache cache,
    AgentStateStore store,
    Svids.TaintedAuthorities tainted,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger<SyncService> logger) : BackgroundService
{
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(InitialBackoff, MaxBackoff);
        var connected = false;
        try
        {
            while (true)
            {
                var svid = await identity.WaitForSvidAsync(stoppingToken).ConfigureAwait(false);
                if (connected)
                {
                    metrics.CountSyncReconnect();
                }

                connected = true;
                if (await ConsumeAsync(svid, backoff, stoppingToken).ConfigureAwait(false))
                {
                    continue; // refused: wait for the re-attested SVID, no delay needed
                }

                await Task.Delay(backoff.Next(), time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>Reads one stream to its end; returns true when the server refused the agent.</summary>
    private async Task<bool> ConsumeAsync(AgentSvid svid, Backoff backoff, CancellationToken cancellationToken)
    {
        try
        {
            // No deadline: the stream is meant to stay open for as long as the agent runs. A server that vanishes
            // is detected by the channel's HTTP/2 keep-alive pings, which fail the stream.
            using var call = connection.Client.Sync(new SyncRequest(), new CallOptions(cancellationToken: cancellationToken));
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                await ApplyAsync(call.ResponseStream.Current, cancellationToken).ConfigureAwait(false);
                backoff.Reset();
            }

            Log.StreamEnded(logger);
            return false;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.PermissionDenied)
        {
            Log.StreamFailed(logger, connection.Describe(ex));
            identity.ReportRefused(svid);
            return true;
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.StreamFailed(logger, connection.Describe(ex));
            return false;
        }
        catch (Exception ex) when (ex is ObjectDisposedException or IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The channel was replaced under the stream (re-attestation) or the transport broke outside gRPC's
            // own mapping: same remedy, reconnect.
            Log.StreamFailed(logger, LogSanitizer.Clean(ex.Message));
            return false;
        }
    }

    private async Task ApplyAsync(SyncResponse response, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        if (response.Tainted is { } taint)
        {
            // Before the cache publish that carries the new bundle: the SVID manager, woken by it, already sees
            // which CAs are tainted and schedules their SVIDs' re-issue.
            tainted.Apply(taint, problems);
            Log.Tainted(logger, taint.Authorities.Count, taint.ReissueDelayMs);
        }

        var before = cache.Current;
        var next = cache.Update(snapshot => SyncApplier.Apply(snapshot, response, time.GetUtcNow(), problems));
        foreach (var problem in problems)
        {
            Log.BadItem(logger, LogSanitizer.Clean(problem));
        }

        Log.Applied(logger, response.Full, response.Entries.Count, response.DeletedEntryIds.Count, next.Entries.Count);
        if (response.Revocations.Count > 0)
        {
            var dropped = before.Svids.Values.Count(s => next.Revoked.IsSerialRevoked(s.Serial));
            Log.Revoked(logger, response.Revocations.Count, next.Revoked.Count, dropped);
        }

        if (response.Bundles.Count > 0 && next.Bundles.TryGetValue(next.TrustDomain, out var own) && !ReferenceEquals(own, identity.Bundle))
        {
            // The server's certificate is verified with the newest own bundle, and the next run starts from it.
            await store.SaveBundleAsync(own, cancellationToken).ConfigureAwait(false);
            identity.SetBundle(own);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "sync: full={Full} upserts={Upserts} deletes={Deletes}; {Entries} entries cached")]
        public static partial void Applied(ILogger logger, bool full, int upserts, int deletes, int entries);

        [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "sync stream failed: {Error}; reconnecting with backoff")]
        public static partial void StreamFailed(ILogger logger, string error);

        [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "sync stream ended by the server; reconnecting")]
        public static partial void StreamEnded(ILogger logger);

        [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "sync: {Received} revocations received ({DenyList} in the deny list); dropped {Dropped} revoked X509-SVIDs, re-issuing")]
        public static partial void Revoked(ILogger logger, int received, int denyList, int dropped);

        [LoggerMessage(EventId = 1305, Level = LogLevel.Information, Message = "sync: {Count} tainted CA keys; SVIDs they signed are re-issued {DelayMs} ms after the taint")]
        public static partial void Tainted(ILogger logger, int count, long delayMs);

        [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "sync: skipped {Problem}")]
        public static partial void BadItem(ILogger logger, string problem);
    }
}
