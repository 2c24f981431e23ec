using Microsoft.Extensions.Hosting;
using Tessera.Server.Configuration;

namespace Tessera.Server.Federation;

/// <summary>Runs one refresh loop per configured federation relationship, each on its own schedule.</summary>
internal sealed class BundleFetcherService(ServerOptions options, FederatedBundleRefresher refresher, TimeProvider time) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(options.Federation.FederatesWith.Select(r => LoopAsync(r, stoppingToken)));

    private async Task LoopAsync(FederationRelationship relationship, CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var outcome = await refresher.RefreshAsync(relationship, stoppingToken).ConfigureAwait(false);
                await Task.Delay(outcome.NextRefresh, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }
}
