using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Server.Datastore;
using Tessera.Server.NodeApi;

namespace Tessera.Server.Revocations;

/// <summary>
/// Publishes the revocations at start (so <c>crl.pem</c> exists before the first revocation) and every
/// <see cref="Interval"/>: prunes records whose credential has expired anyway and keeps the CRL fresh. A change
/// found here (another server wrote it, or a record expired) is pushed to agents.
/// </summary>
internal sealed partial class RevocationRefreshService(RevocationRegistry registry, IRevocationStore store, ChangeFeed changes, TimeProvider time, ILogger<RevocationRefreshService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await registry.RefreshAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (DataStoreUnavailableException ex)
        {
            // Start anyway: Sync streams load the list themselves before their first message (and fail until they
            // can), and the next tick retries.
            LogRefreshFailed(logger, ex);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await store.PruneRevocationsAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false);
                if (await registry.RefreshAsync(stoppingToken).ConfigureAwait(false))
                {
                    changes.Signal();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRefreshFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Warning, Message = "revocation refresh failed; the current deny list and CRL stay in force and the refresh is retried")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
