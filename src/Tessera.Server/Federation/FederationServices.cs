using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Configuration;
using Tessera.Server.Datastore;

namespace Tessera.Server.Federation;

/// <summary>Registers the federated bundle fetcher (it idles when no relationship is configured).</summary>
internal static class FederationServices
{
    public static IServiceCollection AddFederation(this IServiceCollection services, IDataStore store)
    {
        services.AddSingleton<IBundleStore>(store);
        services.AddSingleton<IBundleEndpointClient>(sp => new BundleEndpointClient(sp.GetRequiredService<ServerOptions>().Federation, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<FederatedBundleRefresher>();
        services.AddHostedService<BundleFetcherService>();
        return services;
    }
}
