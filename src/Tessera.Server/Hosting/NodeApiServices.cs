using Microsoft.Extensions.DependencyInjection;
using Tessera.Server.Attestation;
using Tessera.Server.Attestation.JoinToken;
using Tessera.Server.Attestation.X509Pop;
using Tessera.Server.Configuration;
using Tessera.Server.Datastore;
using Tessera.Server.NodeApi;

namespace Tessera.Server.Hosting;

/// <summary>Registers the node API: attestors, agent authentication, the entry index and the server SVID.</summary>
internal static class NodeApiServices
{
    public static IServiceCollection AddNodeApi(this IServiceCollection services, IDataStore store)
    {
        services.AddSingleton<ISvidRecordStore>(store);
        services.AddSingleton<IAgentStore>(store);
        services.AddSingleton<IEntryStore>(store);
        services.AddSingleton<ServerSvidSource>();
        services.AddSingleton<AgentAuthenticator>();
        services.AddSingleton<EntryIndex>();
        services.AddSingleton<AuthorisedEntries>();
        services.AddSingleton<AgentSvidIssuer>();
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<ServerOptions>();
            if (options.X509PopCaBundle is null)
            {
                return new X509PopOptions { TrustedRoots = [] };
            }

            return X509PopTrust.TryLoad(options.X509PopCaBundle, out var roots, out var error)
                ? new X509PopOptions { TrustedRoots = roots }
                : throw new ServerConfigurationException([$"x509pop_ca_bundle: {error}"]);
        });
        services.AddSingleton(sp =>
        {
            var trustDomain = sp.GetRequiredService<ServerOptions>().TrustDomain;
            List<INodeAttestor> attestors = [new JoinTokenAttestor(trustDomain)];

            // x509pop is offered only with a configured bundle (the last X509PopOptions registered wins).
            var x509Pop = sp.GetRequiredService<X509PopOptions>();
            if (x509Pop.TrustedRoots.Count > 0)
            {
                attestors.Add(new X509PopAttestor(x509Pop, trustDomain, sp.GetRequiredService<TimeProvider>()));
            }

            return new NodeAttestors(attestors);
        });
        return services;
    }
}
