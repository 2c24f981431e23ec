using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Cache;
using Tessera.Agent.Configuration;
using Tessera.Agent.Jwt;
using Tessera.Agent.NodeAttestation;
using Tessera.Agent.NodeClient;
using Tessera.Agent.Reporting;
using Tessera.Agent.Svids;
using Tessera.Agent.Sync;

namespace Tessera.Agent.Hosting;

/// <summary>
/// Registers the agent's core: the node client, attestation and renewal, sync, the SVID manager, the JWT minter and
/// the event reporter, around the singletons the Workload API reads (<see cref="IdentityCache"/>,
/// <see cref="IJwtSvidMinter"/>, <see cref="IWorkloadEventSink"/>, <see cref="TimeProvider"/>).
/// </summary>
internal static class AgentComposition
{
    /// <exception cref="AgentConfigurationException">The server address or the x509pop files are unusable.</exception>
    public static IServiceCollection AddAgentCore(this IServiceCollection services, AgentOptions options, TimeProvider time, NodeClientSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!ServerAddress.TryParse(options.ServerAddress, out var address))
        {
            throw new AgentConfigurationException([$"server_address: '{options.ServerAddress}' is not host:port"]);
        }

        var attestor = NodeAttestorFactory.Create(options);
        services.AddSingleton(options);
        services.AddSingleton(time);
        services.AddSingleton(settings ?? new NodeClientSettings());
        services.AddSingleton(new IdentityCache(options.TrustDomain));
        services.AddSingleton<AgentIdentity>();
        services.AddSingleton(new AgentStateStore(options.DataDir));
        services.AddSingleton<AgentMetrics>();
        services.AddSingleton<AgentReadiness>();
        services.AddSingleton<AgentTermination>();
        services.AddSingleton(sp => new ServerCertificateValidator(sp.GetRequiredService<AgentIdentity>(), options.TrustDomain, time));
        services.AddSingleton(sp => new NodeConnection(address, sp.GetRequiredService<AgentIdentity>(), sp.GetRequiredService<ServerCertificateValidator>(), sp.GetRequiredService<NodeClientSettings>(), sp.GetRequiredService<ILogger<NodeConnection>>()));
        services.AddSingleton(sp => new AttestationClient(sp.GetRequiredService<NodeConnection>(), sp.GetRequiredService<AgentIdentity>(), options.TrustDomain, time));
        services.AddSingleton<SvidSigner>();
        services.AddSingleton<Svids.TaintedAuthorities>();
        services.AddSingleton<JwtSvidMinter>();
        services.AddSingleton<IJwtSvidMinter>(sp => sp.GetRequiredService<JwtSvidMinter>());
        services.AddSingleton<WorkloadEventReporter>();
        services.AddSingleton<IWorkloadEventSink>(sp => sp.GetRequiredService<WorkloadEventReporter>());

        services.AddHostedService(sp => new AgentIdentityService(
            options,
            sp.GetRequiredService<AgentIdentity>(),
            sp.GetRequiredService<AgentStateStore>(),
            sp.GetRequiredService<AttestationClient>(),
            sp.GetRequiredService<NodeConnection>(),
            attestor,
            sp.GetRequiredService<AgentTermination>(),
            sp.GetRequiredService<Svids.TaintedAuthorities>(),
            time,
            sp.GetRequiredService<ILogger<AgentIdentityService>>()));
        services.AddHostedService<SyncService>();
        services.AddHostedService<SvidManager>();
        services.AddHostedService(sp => sp.GetRequiredService<WorkloadEventReporter>());
        return services;
    }
}
