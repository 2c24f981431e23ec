using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Agent.WorkloadApi;

namespace Tessera.Agent.Tests.WorkloadApi;

public sealed class WorkloadApiEndpointsTests
{
    [Fact]
    public async Task ListenWorkloadApi_LiveSocketAnswers_RefusesToStart()
    {
        await using var running = await WorkloadApiHost.StartAsync();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            // Kestrel reads its options (and so runs ListenWorkloadApi) while the host is built or started.
            await using var app = Build(running.SocketPath);
            await app.StartAsync().WaitAsync(WorkloadApiHost.Timeout);
        });

        Assert.Equal($"another process is already serving the Workload API on {running.SocketPath}; stop it or choose another socket path", ex.Message);
    }

    [Fact]
    public async Task ListenWorkloadApi_StaleSocketFile_RemovedAndServed_DeletedOnStop()
    {
        using var dir = new TempDirectory();
        var path = dir.File("api.sock");
        using (var stale = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            // Bound but never listening: what a crashed agent leaves behind.
            stale.Bind(new UnixDomainSocketEndPoint(path));
        }

        await using (var app = Build(path))
        {
            await app.StartAsync().WaitAsync(WorkloadApiHost.Timeout);
            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(path)).WaitAsync(WorkloadApiHost.Timeout);
            await app.StopAsync().WaitAsync(WorkloadApiHost.Timeout);
        }

        Assert.False(File.Exists(path));
    }

    private static WebApplication Build(string socketPath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddWorkloadApi();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenWorkloadApi(socketPath));
        var app = builder.Build();
        app.MapWorkloadApi(socketPath);
        return app;
    }
}
