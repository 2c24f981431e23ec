using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Agent.WorkloadAttestation;
using Tessera.Agent.WorkloadAttestation.Unix;

namespace Tessera.Agent.WorkloadApi;

/// <summary>
/// Wires the SPIFFE Workload API (and Tessera's extensions, <see cref="TesseraWorkloadService"/>) into the agent's host: services (<see cref="AddWorkloadApi"/>), the Unix socket
/// listener (<see cref="ListenWorkloadApi"/>) and the endpoint (<see cref="MapWorkloadApi"/>). The host registers
/// <see cref="Cache.IdentityCache"/>, <see cref="Cache.IJwtSvidMinter"/>, <see cref="Reporting.IWorkloadEventSink"/>
/// and <see cref="TimeProvider"/>.
/// </summary>
internal static class WorkloadApiEndpoints
{
    /// <summary>Largest request accepted: requests are small; ValidateJWTSVID carries at most a 64 KiB token.</summary>
    private const int MaxReceiveMessageSize = 128 * 1024;

    /// <summary>Largest response sent: many SVIDs with chains and bundles fit well within it.</summary>
    private const int MaxSendMessageSize = 16 * 1024 * 1024;

    /// <summary>Pending connections the socket queues before refusing more.</summary>
    private const int ListenBacklog = 4096;

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode WorldConnectable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>Registers gRPC, the Workload API service with its interceptor and limits, and the Unix workload attestor.</summary>
    public static IServiceCollection AddWorkloadApi(this IServiceCollection services)
    {
        // Every local process may connect at once (a node boot, a fleet of sidecars restarting): with Kestrel's
        // default backlog of 512 the 513th simultaneous connect fails with EAGAIN before the agent ever sees it.
        // The kernel caps this at net.core.somaxconn (4096 by default on current kernels).
        services.Configure<SocketTransportOptions>(transport => transport.Backlog = ListenBacklog);
        services.AddGrpc().AddServiceOptions<WorkloadApiService>(options =>
        {
            options.MaxReceiveMessageSize = MaxReceiveMessageSize;
            options.MaxSendMessageSize = MaxSendMessageSize;
            options.EnableDetailedErrors = false;
            options.Interceptors.Add<WorkloadApiInterceptor>();
        });
        services.AddGrpc().AddServiceOptions<TesseraWorkloadService>(options =>
        {
            options.MaxReceiveMessageSize = MaxReceiveMessageSize;
            options.MaxSendMessageSize = MaxSendMessageSize;
            options.EnableDetailedErrors = false;
            options.Interceptors.Add<WorkloadApiInterceptor>();
        });
        services.AddSingleton<DenyListVersions>();
        services.AddSingleton<ExecutableHashCache>();
        services.AddSingleton(_ => new UnixAccounts());
        services.AddSingleton<IWorkloadAttestor>(sp => ActivatorUtilities.CreateInstance<UnixWorkloadAttestor>(sp, "/proc"));
        services.AddSingleton<WorkloadCallers>();
        services.AddSingleton<WorkloadConnectionMiddleware>();
        return services;
    }

    /// <summary>
    /// Listens on <paramref name="socketPath"/> (HTTP/2 only): creates its directory (0755), removes a stale socket
    /// left by a crashed agent, refuses to start when a live one answers, and reads each connection's kernel peer
    /// credentials and pidfd once.
    /// </summary>
    /// <exception cref="InvalidOperationException">Another process is already serving on <paramref name="socketPath"/>.</exception>
    public static void ListenWorkloadApi(this KestrelServerOptions kestrel, string socketPath)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        if (!Path.IsPathRooted(socketPath))
        {
            throw new ArgumentException($"the Workload API socket path must be absolute, not '{socketPath}'", nameof(socketPath));
        }

        var directory = Path.GetDirectoryName(socketPath)!;
        if (!Directory.Exists(directory))
        {
            // 0755: every local process must be able to reach the socket; attestation, not the mode, is the gate.
            Directory.CreateDirectory(directory, DirectoryMode);
        }

        RemoveStaleSocket(socketPath);
        kestrel.ListenUnixSocket(socketPath, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.Use(next => kestrel.ApplicationServices.GetRequiredService<WorkloadConnectionMiddleware>().Wrap(next));
        });
    }

    /// <summary>
    /// Maps the Workload API service; once the host has started, makes the socket connectable by every local user
    /// (any process may ask who it is; attestation decides what it gets) and deletes it when the host stops.
    /// </summary>
    public static void MapWorkloadApi(this WebApplication app, string socketPath)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        app.MapGrpcService<WorkloadApiService>();
        app.MapGrpcService<TesseraWorkloadService>();
        app.Lifetime.ApplicationStarted.Register(() => File.SetUnixFileMode(socketPath, WorldConnectable));
        app.Lifetime.ApplicationStopped.Register(() => File.Delete(socketPath));
    }

    private static void RemoveStaleSocket(string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return;
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException)
        {
            // Nobody answers: a socket file left behind by an agent that crashed.
            File.Delete(socketPath);
            return;
        }

        throw new InvalidOperationException($"another process is already serving the Workload API on {socketPath}; stop it or choose another socket path");
    }
}
