using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Server.Audit;
using Tessera.Server.Ca.Rotation;
using Tessera.Server.Revocations;

namespace Tessera.Server.Ca;

/// <summary>
/// Removes a tainted CA key from the bundle once re-issuance has been complete (<see cref="ReissueProgress"/>) for
/// a grace of <c>ca_reissue_delay</c>, checking every <see cref="Interval"/>. The grace is the time the server
/// allows for a change to reach every workload: "re-issued" is the server's record of signing, and the new SVID
/// still has to reach its workload, and handshakes begun with the old one have to finish, before the old CA may
/// stop verifying — removing it at once failed live mTLS requests in the rotation drill. Each removal is an audit record (caller <c>server</c>) and is pushed to
/// agents; the CRL is re-signed without the removed CA.
/// </summary>
internal sealed partial class TaintedKeyReaper(
    CertificateAuthority ca,
    ReissueProgress progress,
    Configuration.ServerOptions options,
    IAuditLog audit,
    NodeApi.ChangeFeed changes,
    Revocations.RevocationRegistry revocations,
    TimeProvider time,
    ILogger<TaintedKeyReaper> logger) : BackgroundService
{
    /// <summary>How often tainted keys are checked.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, DateTimeOffset> _completeSince = new(StringComparer.Ordinal);

    /// <summary>Removes every tainted key whose re-issuance is complete; returns the keys removed.</summary>
    public async Task<IReadOnlyList<string>> ReapAsync(CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var tainted in ca.TaintedAuthorities)
        {
            var now = time.GetUtcNow();
            if (await progress.PendingAsync(tainted, now, cancellationToken).ConfigureAwait(false) > 0)
            {
                _completeSince.Remove(tainted.KeyId);
                continue;
            }

            if (!_completeSince.TryGetValue(tainted.KeyId, out var complete))
            {
                _completeSince[tainted.KeyId] = now;
                complete = now;
            }

            if (now - complete < options.CaReissueDelay)
            {
                continue;
            }

            _completeSince.Remove(tainted.KeyId);

            CaKeyEntry entry;
            try
            {
                entry = await ca.RemoveAsync(tainted.KeyId, cancellationToken).ConfigureAwait(false);
            }
            catch (CaKeyOperationException)
            {
                continue; // removed meanwhile (an operator's ca remove)
            }

            removed.Add(tainted.KeyId);
            LogRemoved(logger, tainted.KeyId, now - tainted.TaintedAt);
            var reason = $"re-issuance complete {(long)(now - tainted.TaintedAt).TotalMilliseconds} ms after the taint";
            await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), "server", "ca.key.remove", tainted.KeyId, "ok", reason), cancellationToken).ConfigureAwait(false);
            await RemovedAuthorityRevocation.RevokeIfUpstreamAsync(ca, audit, entry, "server", reason, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        }

        if (removed.Count > 0)
        {
            await revocations.RefreshAsync(cancellationToken).ConfigureAwait(false);
            changes.Signal();
        }

        return removed;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await ReapAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 3105, Level = LogLevel.Warning, Message = "tainted CA key {KeyId} removed from the bundle: every SVID it signed has been re-issued ({Elapsed} after the taint)")]
    private static partial void LogRemoved(ILogger logger, string keyId, TimeSpan elapsed);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Error, Message = "checking tainted CA keys failed; retried at the next interval")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
