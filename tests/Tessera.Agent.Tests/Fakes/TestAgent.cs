using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Cache;
using Tessera.Agent.Configuration;
using Tessera.Agent.Hosting;
using Tessera.Agent.NodeAttestation;
using Tessera.Agent.NodeClient;

namespace Tessera.Agent.Tests.Fakes;

/// <summary>A real agent host (the production composition) pointed at a <see cref="FakeNodeServer"/>, with its parts exposed.</summary>
internal sealed class TestAgent : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestAgent(WebApplication app, AgentOptions options)
    {
        _app = app;
        Options = options;
    }

    public AgentOptions Options { get; }

    public IServiceProvider Services => _app.Services;

    public IdentityCache Cache => Services.GetRequiredService<IdentityCache>();

    public AgentIdentity Identity => Services.GetRequiredService<AgentIdentity>();

    public AgentTermination Termination => Services.GetRequiredService<AgentTermination>();

    public AgentMetrics Metrics => Services.GetRequiredService<AgentMetrics>();

    public AgentStateStore Store => Services.GetRequiredService<AgentStateStore>();

    /// <summary>Options for an agent of <paramref name="server"/> keeping its state in <paramref name="directory"/>, bootstrapped with a trust bundle file.</summary>
    public static AgentOptions OptionsFor(FakeNodeServer server, TempDirectory directory, string? joinToken = null)
    {
        var bundle = directory.File("trust-bundle.pem");
        if (!File.Exists(bundle))
        {
            File.WriteAllText(bundle, server.CaPem);
        }

        return new AgentOptions
        {
            TrustDomain = server.TrustDomain,
            ServerAddress = $"127.0.0.1:{server.Port}",
            TrustBundleFile = bundle,
            JoinToken = joinToken ?? server.NewJoinToken(),
            DataDir = directory.File("agent"),
            SocketPath = directory.File("agent/public/api.sock"),
            HealthAddress = "127.0.0.1:0",
        };
    }

    /// <summary>
    /// Starts an agent with production connection pooling, unless <paramref name="noConnectionReuse"/>: then every
    /// call makes a new handshake and presents the current agent SVID, for tests that move the clock by hours and
    /// must not reuse a connection carrying an SVID that has expired on the test clock meanwhile.
    /// </summary>
    public static async Task<TestAgent> StartAsync(AgentOptions options, TimeProvider? clock = null, bool noConnectionReuse = false)
    {
        var settings = new NodeClientSettings { CallTimeout = TimeSpan.FromSeconds(10) };
        if (noConnectionReuse)
        {
            settings = settings with { PooledConnectionLifetime = TimeSpan.Zero };
        }

        var app = AgentHost.Build(options, clock ?? TimeProvider.System, settings, logging => logging.ClearProviders());
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new TestAgent(app, options);
    }

    /// <summary>Waits (at most <paramref name="seconds"/>) until <paramref name="condition"/> holds; fails the test otherwise.</summary>
    public static async Task UntilAsync(Func<bool> condition, string what, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out after {seconds}s waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    public Task UntilSyncedAsync(int svids, int seconds = 15) =>
        UntilAsync(() => Cache.Current.Synced && Cache.Current.Svids.Count == svids, $"{svids} SVIDs in the cache (have {Cache.Current.Svids.Count})", seconds);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
