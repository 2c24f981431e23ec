using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Cache;
using Tessera.Agent.Hosting;
using Tessera.Agent.Internal;
using Tessera.Agent.NodeAttestation;

namespace Tessera.Agent.Svids;

/// <summary>
/// Keeps an X509-SVID in the cache for every entry: signs what is missing, what was signed for an older entry
/// revision, and what passed its rotation point (<see cref="RotationSchedule"/>; brought forward when the signing CA
/// was tainted by an emergency rotation, <see cref="TaintedAuthorities"/>), in batches of at most
/// <see cref="MaxBatch"/>; drops SVIDs that expired (the server may be away: cached SVIDs are served until then).
/// Wakes on cache and identity changes, and on a timer only for the next rotation, expiry or retry.
/// Failed items are retried with per-entry exponential backoff.
/// </summary>
internal sealed partial class SvidManager(
    IdentityCache cache,
    AgentIdentity identity,
    SvidSigner signer,
    TaintedAuthorities tainted,
    AgentMetrics metrics,
    TimeProvider time,
    ILogger<SvidManager> logger) : BackgroundService
{
    public const int MaxBatch = 500;

    /// <summary>Batches being prepared, signed or checked at once (<see cref="SignAsync"/>).</summary>
    public const int BatchesInFlight = 2;
    private static readonly TimeSpan RetryInitial = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryCap = TimeSpan.FromMinutes(2);

    private readonly RotationSchedule _schedule = new();
    private readonly Dictionary<string, (DateTimeOffset At, Backoff Backoff)> _retry = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (true)
            {
                var identitySeen = identity.Version;
                var taintedSeen = tainted.Version;
                var now = time.GetUtcNow();
                var snapshot = DropStale(now);
                var due = Due(snapshot, now);
                if (due.Count > 0 && identity.Svid is { } agentSvid && !identity.Refused)
                {
                    await SignAsync(due, agentSvid, stoppingToken).ConfigureAwait(false);
                    continue;
                }

                await Wait.UntilAsync(
                    time,
                    NextWake(snapshot),
                    token => Task.WhenAny(cache.WaitForChangeAsync(snapshot.Version, token), identity.WaitForChangeAsync(identitySeen, token), tainted.WaitForChangeAsync(taintedSeen, token)),
                    stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>Removes expired SVIDs (and any whose entry is gone) from the cache; returns the current snapshot.</summary>
    private CacheSnapshot DropStale(DateTimeOffset now)
    {
        var snapshot = cache.Current;
        var stale = snapshot.Svids.Values.Where(s => IsStale(snapshot, s, now)).Select(s => s.EntryId).ToList();
        if (stale.Count > 0)
        {
            snapshot = cache.Update(s => s with { Svids = s.Svids.RemoveRange(stale.Where(id => s.Svids.TryGetValue(id, out var svid) && IsStale(s, svid, now))) });
            Log.Dropped(logger, stale.Count);
        }

        _schedule.Retain(snapshot.Svids.Values);
        foreach (var id in _retry.Keys.Where(id => !snapshot.Entries.ContainsKey(id)).ToList())
        {
            _retry.Remove(id);
        }

        return snapshot;
    }

    private static bool IsStale(CacheSnapshot snapshot, CachedSvid svid, DateTimeOffset now) =>
        svid.NotAfter <= now || !snapshot.Entries.ContainsKey(svid.EntryId) || snapshot.Revoked.IsSerialRevoked(svid.Serial);

    private List<AgentEntry> Due(CacheSnapshot snapshot, DateTimeOffset now)
    {
        var due = new List<AgentEntry>();
        foreach (var entry in snapshot.Entries.Values)
        {
            if (_retry.TryGetValue(entry.Id, out var retry) && retry.At > now)
            {
                continue;
            }

            if (!snapshot.Svids.TryGetValue(entry.Id, out var svid) || svid.EntryRevision != entry.Revision || now >= _schedule.RotateAt(svid, tainted))
            {
                due.Add(entry);
            }
        }

        return due;
    }

    private DateTimeOffset? NextWake(CacheSnapshot snapshot)
    {
        DateTimeOffset? next = null;
        void Consider(DateTimeOffset at) => next = next is null || at < next ? at : next;
        foreach (var svid in snapshot.Svids.Values)
        {
            Consider(_schedule.RotateAt(svid, tainted));
            Consider(svid.NotAfter);
        }

        foreach (var (_, retry) in _retry)
        {
            Consider(retry.At);
        }

        return next;
    }

    private async Task SignAsync(List<AgentEntry> due, AgentSvid agentSvid, CancellationToken cancellationToken)
    {
        // Batches overlap: while the server signs one, the agent makes the next one's keys and checks the previous
        // one's chains. Results are applied in batch order, one publish per batch.
        var inFlight = new Queue<(AgentEntry[] Batch, Task<SignBatchResult> Result)>();
        var refused = false;
        foreach (var batch in due.Chunk(MaxBatch))
        {
            if (inFlight.Count == BatchesInFlight)
            {
                refused |= await CompleteAsync(inFlight.Dequeue()).ConfigureAwait(false);
            }

            if (refused)
            {
                break;
            }

            inFlight.Enqueue((batch, signer.SignAsync(batch, cancellationToken)));
        }

        while (inFlight.Count > 0)
        {
            refused |= await CompleteAsync(inFlight.Dequeue()).ConfigureAwait(false);
        }

        if (refused)
        {
            identity.ReportRefused(agentSvid);
        }
    }

    /// <summary>Applies one batch's outcome; returns true when the server refused the agent.</summary>
    private async Task<bool> CompleteAsync((AgentEntry[] Batch, Task<SignBatchResult> Result) signing)
    {
        var (batch, result) = (signing.Batch, await signing.Result.ConfigureAwait(false));
        if (result.CallError is not null)
        {
            Log.BatchFailed(logger, batch.Length, result.CallError);
            metrics.CountSignFailures(batch.Length);
            if (result.Refused)
            {
                return true;
            }

            foreach (var entry in batch)
            {
                ScheduleRetry(entry.Id);
            }

            return false;
        }

        foreach (var (entryId, error) in result.Failed)
        {
            Log.ItemFailed(logger, entryId, error);
            ScheduleRetry(entryId);
        }

        metrics.CountSignFailures(result.Failed.Count);
        metrics.CountRotations(result.Signed.Count);
        var now = time.GetUtcNow();
        foreach (var svid in result.Signed)
        {
            _retry.Remove(svid.EntryId);
            if (now >= _schedule.RotateAt(svid))
            {
                // Born past its rotation point (a very short TTL, or clocks apart): back off rather than
                // re-sign it in a tight loop.
                Log.ShortLived(logger, svid.EntryId, svid.NotBefore, svid.NotAfter);
                ScheduleRetry(svid.EntryId);
            }
        }

        // An entry deleted while its batch was in flight gets nothing; one whose revision moved on gets the SVID
        // anyway (better than none) and is re-signed on the next pass.
        cache.Update(s => s with { Svids = s.Svids.SetItems(result.Signed.Where(v => s.Entries.ContainsKey(v.EntryId) && !s.Revoked.IsSerialRevoked(v.Serial)).Select(v => KeyValuePair.Create(v.EntryId, v))) });
        Log.Signed(logger, result.Signed.Count, batch.Length);
        return false;
    }

    private void ScheduleRetry(string entryId)
    {
        var backoff = _retry.TryGetValue(entryId, out var existing) ? existing.Backoff : new Backoff(RetryInitial, RetryCap);
        _retry[entryId] = (time.GetUtcNow() + backoff.Next(), backoff);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1400, Level = LogLevel.Information, Message = "signed {Signed} of {Requested} X509-SVIDs")]
        public static partial void Signed(ILogger logger, int signed, int requested);

        [LoggerMessage(EventId = 1401, Level = LogLevel.Warning, Message = "SignX509Svids for {Count} entries failed: {Error}; retrying with backoff")]
        public static partial void BatchFailed(ILogger logger, int count, string error);

        [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "X509-SVID for entry {EntryId} refused: {Error}; retrying with backoff")]
        public static partial void ItemFailed(ILogger logger, string entryId, string error);

        [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "dropped {Count} X509-SVIDs that expired, were revoked or whose entry is gone")]
        public static partial void Dropped(ILogger logger, int count);

        [LoggerMessage(EventId = 1404, Level = LogLevel.Warning, Message = "X509-SVID for entry {EntryId} ({NotBefore:O} - {NotAfter:O}) is already past its rotation point; check the server's clock and the entry's TTL")]
        public static partial void ShortLived(ILogger logger, string entryId, DateTimeOffset notBefore, DateTimeOffset notAfter);
    }
}
