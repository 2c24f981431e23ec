using Microsoft.Extensions.Hosting;

namespace Tessera.Server.Hosting;

/// <summary>Marks the server ready once every hosted service before it (datastore, CA) has started.</summary>
internal sealed class ReadinessMarker(ServerReadiness readiness) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        readiness.MarkReady();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
