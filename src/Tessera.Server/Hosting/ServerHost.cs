using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Hosting.Configuration;
using Tessera.Hosting.Files;
using Tessera.Server.AdminApi;
using Tessera.Server.Audit;
using Tessera.Server.Configuration;
using Tessera.Server.NodeApi;
using Tessera.Server.Oidc;


namespace Tessera.Server.Hosting;

/// <summary>
/// Builds the server process: the admin gRPC API on a local Unix socket (HTTP/2, kernel peer credentials
/// checked per connection), the node API for agents on the agent port (HTTP/2 over TLS with the server SVID),
/// liveness/readiness/metrics on a local HTTP port, and, when configured, OIDC discovery documents for relying
/// parties. Each API refuses calls that arrive on another's listener (connection features set by each listener,
/// see <see cref="ListenerRouting"/>). Nothing else listens.
/// </summary>
internal static class ServerHost
{
    /// <summary>Builds the host. <paramref name="configureServices"/> registers the datastore-backed services (an <see cref="IAuditStore"/> at least).</summary>
    public static WebApplication Build(ServerOptions options, Action<IServiceCollection> configureServices, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configureServices);
        PrepareDataDirectory(options);
        PrepareSocketPath(options.AdminSocket);

        var builder = WebApplication.CreateSlimBuilder();
        configureLogging?.Invoke(builder.Logging);
        // Open Sync streams end on ApplicationStopping; 10 s bounds a shutdown that something still holds up.
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));
        var time = TimeProvider.System;
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(new ServerStartTime(time.GetUtcNow()));
        builder.Services.AddSingleton<ServerReadiness>();
        builder.Services.AddSingleton<ServerMetrics>();
        builder.Services.AddSingleton<IAuditReader>(sp => sp.GetRequiredService<IAuditStore>());
        builder.Services.AddSingleton(sp => new AuditLog(sp.GetRequiredService<IAuditStore>(), new FileAuditHeadStore(Path.Combine(options.DataDir, "audit-head"))));
        builder.Services.AddSingleton<IAuditLog>(sp => new MeteredAuditLog(sp.GetRequiredService<AuditLog>(), sp.GetRequiredService<ServerMetrics>()));
        builder.Services.AddSingleton(sp => new AdminConnectionGate(options.AdminUids, sp.GetRequiredService<IAuditLog>(), time, sp.GetRequiredService<ILogger<AdminConnectionGate>>()));
        builder.Services.AddGrpc(grpc =>
        {
            // A full SignX509Svids batch (1,000 CSRs of ~300 bytes) fits well inside this.
            grpc.MaxReceiveMessageSize = 4 * 1024 * 1024;
            grpc.EnableDetailedErrors = false;
        })
            .AddServiceOptions<AdminService>(admin => admin.Interceptors.Add<AdminErrorInterceptor>())
            .AddServiceOptions<NodeService>(node => node.Interceptors.Add<NodeErrorInterceptor>());
        if (options.AgentAddress is not null || options.Federation is { BundleEndpointAddress: not null, BundleEndpointProfile: Federation.BundleEndpointProfile.HttpsSpiffe })
        {
            // Registered before the services below so the server SVID exists before readiness is reported and
            // before Kestrel accepts the first TLS handshake.
            builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostedService>(sp => sp.GetRequiredService<ServerSvidSource>());
        }

        configureServices(builder.Services);

        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.ListenUnixSocket(options.AdminSocket, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => kestrel.ApplicationServices.GetRequiredService<AdminConnectionGate>().Wrap(next));
            });
            if (options.AgentAddress is not null)
            {
                AgentListener.Listen(kestrel, HealthAddress.TryParse(options.AgentAddress, out var agent) ? agent : throw new ServerConfigurationException([$"agent_address: '{options.AgentAddress}' is not ip:port"]));
            }

            if (options.Federation.BundleEndpointAddress is { } bundleEndpoint)
            {
                Federation.BundleEndpointListener.Listen(kestrel, HealthAddress.TryParse(bundleEndpoint, out var endpoint) ? endpoint : throw new ServerConfigurationException([$"federation_bundle_endpoint_address: '{bundleEndpoint}' is not ip:port"]), options.Federation);
            }

            kestrel.Listen(HealthAddress.TryParse(options.HealthAddress, out var health) ? health : throw new ServerConfigurationException([$"health_address: '{options.HealthAddress}' is not ip:port"]), listen => listen.Protocols = HttpProtocols.Http1);
            if (options.OidcAddress is not null)
            {
                OidcListener.Listen(kestrel, HealthAddress.TryParse(options.OidcAddress, out var oidc) ? oidc : throw new ServerConfigurationException([$"oidc_address: '{options.OidcAddress}' is not ip:port"]), options);
            }
        });

        var app = builder.Build();
        if (options.Federation.BundleEndpointAddress is not null)
        {
            Federation.BundleEndpointListener.UseBundleEndpoint(app, options.Federation.BundleEndpointRefreshHint);
        }

        app.UseListenerRouting();
        app.MapGrpcService<AdminService>();
        if (options.OidcAddress is not null && options.JwtIssuer is not null)
        {
            app.MapOidcDiscovery(options.JwtIssuer);
        }

        if (options.AgentAddress is not null)
        {
            app.MapGrpcService<NodeService>();
        }

        app.MapGet("/healthz/live", () => Results.Text("live\n"));
        app.MapGet("/healthz/ready", (ServerReadiness readiness) => readiness.IsReady ? Results.Text("ready\n") : Results.Text("starting\n", statusCode: 503));
        if (app.Services.GetService<Revocations.RevocationRegistry>() is not null)
        {
            // The CA's CRL for third parties (RFC 5280 §5): DER at /crl (application/pkix-crl, RFC 5280 §4.2.1.13's
            // distribution point format), PEM at /crl.pem; both only on the health listener.
            app.MapGet(CrlPaths.Der, (Revocations.RevocationRegistry registry) => registry.Current.Crl is { } crl ? Results.Bytes(crl.Der, "application/pkix-crl") : Results.StatusCode(503));
            app.MapGet(CrlPaths.Pem, (Revocations.RevocationRegistry registry) => registry.Current.Crl is { } crl ? Results.Text(crl.Pem, "application/x-pem-file") : Results.StatusCode(503));
        }

        app.MapGet("/metrics", (ServerMetrics metrics, ServerReadiness readiness) => Results.Text(metrics.Render(readiness.IsReady), "text/plain; version=0.0.4"));
        app.Lifetime.ApplicationStarted.Register(() => RestrictSocket(options));
        app.Lifetime.ApplicationStopped.Register(() => File.Delete(options.AdminSocket));
        return app;
    }

    private static void PrepareDataDirectory(ServerOptions options)
    {
        // 0700: the data directory holds keys and the datastore; nobody else needs to list it.
        AtomicFile.EnsurePrivateDirectory(options.DataDir);
        Directory.CreateDirectory(Path.GetDirectoryName(options.AdminSocket)!);
    }

    private static void PrepareSocketPath(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        // A socket file left by a crashed server is removed; one that still answers belongs to a live server.
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            File.Delete(path);
            return;
        }

        throw new ServerConfigurationException([$"admin_socket: another server is already listening on {path}"]);
    }

    private static void RestrictSocket(ServerOptions options)
    {
        // Only the allowed uids may talk to the server; with the default allow-list (self and root) the
        // socket mode alone already keeps everyone else out, and the per-connection uid check is the
        // second lock. Other allowed uids need the socket world-connectable, and the uid check is the gate.
        var self = (int)Internal.Libc.GetUid();
        var onlySelf = options.AdminUids.All(uid => uid == self || uid == 0);
        File.SetUnixFileMode(options.AdminSocket, onlySelf
            ? UnixFileMode.UserRead | UnixFileMode.UserWrite
            : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
    }
}
