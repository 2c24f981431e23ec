using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Hosting.Files;
using Tessera.Server.Audit;
using Tessera.Server.Ca;
using Tessera.Server.Ca.Journal.Datastore;
using Tessera.Server.Configuration;
using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Postgres;
using Tessera.Server.Datastore.Sqlite;
using Tessera.Server.KeyManagers;
using Tessera.Server.KeyManagers.Disk;

using Tessera.Server.KeyManagers.Memory;
using Tessera.Server.Registration;

namespace Tessera.Server.Hosting;

/// <summary>Opens the configured datastore and registers the services that stand on it.</summary>
internal static class ServerComposition
{
    /// <summary>Opens (and migrates) the datastore: SQLite in the data directory by default, PostgreSQL when configured.</summary>
    public static Task<IDataStore> OpenDataStoreAsync(ServerOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        AtomicFile.EnsurePrivateDirectory(options.DataDir);
        return options.Datastore == "postgres"
            ? PostgresDataStore.OpenAsync(options.DatastoreConnectionString!, time, cancellationToken)
            : SqliteDataStore.OpenAsync(Path.Combine(options.DataDir, "datastore.sqlite3"), time, cancellationToken);
    }

    /// <summary>Loads (or creates, on first run) the CA: keys from the configured key manager, rotation state from the datastore.</summary>
    public static Task<CertificateAuthority> OpenCertificateAuthorityAsync(ServerOptions options, IDataStore store, TimeProvider time, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        IKeyManager keys = options.KeyManager == "memory"
            ? new MemoryKeyManager()
            : new DiskKeyManager(Path.Combine(options.DataDir, "keys"));
        return CertificateAuthority.CreateAsync(ToCaOptions(options), keys, new DatastoreCaJournal(store), time, logger, cancellationToken);
    }

    /// <summary>The CA's view of the server configuration.</summary>
    public static CaOptions ToCaOptions(ServerOptions options) => new()
    {
        TrustDomain = options.TrustDomain,
        CaTtl = options.CaTtl,
        X509SvidTtl = options.X509SvidTtl,
        JwtSvidTtl = options.JwtSvidTtl,
        UpstreamCertificatePath = options.UpstreamCertFile,
        UpstreamKeyPath = options.UpstreamKeyFile,
        JwtIssuer = options.JwtIssuer,
    };

    public static Action<IServiceCollection> Configure(IDataStore store, CertificateAuthority? ca = null) => services =>
    {
        services.AddSingleton(store);
        if (ca is not null)
        {
            services.AddSingleton(ca);
            services.AddSingleton<Datastore.IRevocationStore>(store);
            services.AddSingleton<Revocations.RevocationRegistry>();
            services.AddHostedService<Revocations.RevocationRefreshService>();
            services.AddHostedService<CaRotationService>();
            services.AddSingleton<Ca.ReissueProgress>().AddSingleton<Ca.TaintedKeyReaper>().AddHostedService(sp => sp.GetRequiredService<Ca.TaintedKeyReaper>());
        }

        services.AddSingleton<Audit.IAuditStore>(new DatastoreAuditStore(store));
        services.AddSingleton<EntryValidator>();
        services.AddSingleton<NodeApi.ChangeFeed>();
        if (ca is not null)
        {
            services.AddNodeApi(store);
            Federation.FederationServices.AddFederation(services, store);
        }

        services.AddHostedService<ReadinessMarker>();
    };
}
