using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Cache;
using Tessera.Agent.Configuration;
using Tessera.Agent.NodeAttestation;
using Tessera.Agent.NodeClient;
using Tessera.Agent.WorkloadApi;
using Tessera.Hosting.Configuration;
using Tessera.Hosting.Files;

namespace Tessera.Agent.Hosting;

/// <summary>
/// Builds the agent process: the node client, attestation, sync, SVID manager and event reporter as hosted
/// services, liveness/readiness/metrics on <c>health_address</c>, and the SPIFFE Workload API on <c>socket_path</c>.
/// Stops gracefully on SIGTERM.
/// </summary>
internal static class AgentHost
{
    public static WebApplication Build(AgentOptions options, TimeProvider? time = null, NodeClientSettings? settings = null, Action<ILoggingBuilder>? configureLogging = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!HealthAddress.TryParse(options.HealthAddress, out var health))
        {
            throw new AgentConfigurationException([$"health_address: '{options.HealthAddress}' is not ip:port"]);
        }

        // 0700: the data directory holds the agent's private key.
        AtomicFile.EnsurePrivateDirectory(options.DataDir);
        if (IsUnder(options.SocketPath, options.DataDir))
        {
            // The Workload API socket (by default <data_dir>/public/api.sock) must be reachable by every local user's
            // workloads — attestation, not file modes, decides who gets what. 0711 lets them pass through the data
            // directory without listing it; the key and SVID files in it stay 0600.
            File.SetUnixFileMode(options.DataDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(options.SocketPath)!);

        var builder = WebApplication.CreateSlimBuilder();
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddAgentCore(options, time ?? TimeProvider.System, settings);
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(10));

        builder.Services.AddWorkloadApi();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(health, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.ListenWorkloadApi(options.SocketPath);
        });

        var app = builder.Build();
        app.MapGet("/healthz/live", () => Results.Text("live\n"));
        app.MapGet("/healthz/ready", (AgentReadiness readiness) => readiness.IsReady ? Results.Text("ready\n") : Results.Text("starting\n", statusCode: 503));
        app.MapGet("/metrics", (AgentMetrics metrics, IdentityCache cache, AgentIdentity identity, AgentReadiness readiness) =>
            Results.Text(metrics.Render(cache.Current, identity, readiness.IsReady), "text/plain; version=0.0.4"));
        app.MapWorkloadApi(options.SocketPath);
        return app;
    }

    private static bool IsUnder(string path, string directory)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(directory), Path.GetFullPath(path));
        return !relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative);
    }
}
