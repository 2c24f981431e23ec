using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Agent.Cache;
using Tessera.Agent.Reporting;
using Tessera.Agent.Tests.Fakes;

namespace Tessera.Agent.Tests.Hosting;

public sealed class AgentHostTests
{
    [Fact]
    public async Task Health_ReadyOnlyAfterAttestationAndFirstSync_MetricsCountEntriesAndSvids()
    {
        await using var server = await FakeNodeServer.StartAsync();
        server.Entries["e1"] = Entries.Make("e1");
        server.Down = true;
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        using var http = new HttpClient { BaseAddress = HealthUri(agent), Timeout = TimeSpan.FromSeconds(10) };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/healthz/live", UriKind.Relative))).StatusCode);
        var starting = await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, starting.StatusCode);
        Assert.Equal("starting\n", await starting.Content.ReadAsStringAsync());

        server.Down = false;
        // 60 s: the agent's attestation backoff grew while the server was down (500 ms doubling, up to 30 s).
        await agent.UntilSyncedAsync(1, seconds: 60);
        var ready = await http.GetAsync(new Uri("/healthz/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("\ntessera_agent_ready 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\ntessera_agent_entries 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\ntessera_agent_svids 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("\ntessera_agent_svid_rotations_total 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE tessera_agent_sync_reconnects_total counter\n", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Services_WorkloadApiSeamRegisteredAsSingletons()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));

        Assert.Same(agent.Services.GetRequiredService<IdentityCache>(), agent.Services.GetRequiredService<IdentityCache>());
        Assert.Same(agent.Services.GetRequiredService<IJwtSvidMinter>(), agent.Services.GetRequiredService<IJwtSvidMinter>());
        Assert.Same(agent.Services.GetRequiredService<IWorkloadEventSink>(), agent.Services.GetRequiredService<IWorkloadEventSink>());
        Assert.Same(TimeProvider.System, agent.Services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task DataDir_SocketInside_TraversableNotListable_KeysStayPrivate()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var directory = new TempDirectory();
        var options = TestAgent.OptionsFor(server, directory);
        var agent = await TestAgent.StartAsync(options);
        try
        {
            await agent.UntilSyncedAsync(0);
        }
        finally
        {
            // Stopped before listing: a running agent may be mid-way through an atomic write, whose temp file
            // can vanish between the listing and the mode check (seen in CI).
            await agent.DisposeAsync();
        }

        // Other users' workloads must reach <data_dir>/public/api.sock, but must not list or read the data directory.
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute, File.GetUnixFileMode(options.DataDir));
        Assert.All(Directory.GetFiles(options.DataDir), file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
    }

    [Fact]
    public async Task DataDir_SocketElsewhere_StaysPrivate()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var directory = new TempDirectory();
        var options = TestAgent.OptionsFor(server, directory) with { SocketPath = directory.File("public/api.sock") };
        await using var agent = await TestAgent.StartAsync(options);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(options.DataDir));
    }

    private static Uri HealthUri(TestAgent agent) =>
        new(agent.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single(a => a.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)));
}
