using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Tests.WorkloadApi;

namespace Tessera.Spiffe.WorkloadApi.Tests;

public sealed class DenyListSourceTests : IAsyncLifetime
{
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkloadApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task CreateAsync_TesseraAgent_FollowsRevocationsAndKeepsTheListWhenTheAgentGoes()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var source = await DenyListSource.CreateAsync(X509SourceTests.Options(_host.SocketPath)).WaitAsync(WorkloadApiHost.Timeout);
        await using var _ = source;
        Assert.Equal(0, source.DenyList.Count);
        var firstVersion = source.Version;
        Assert.True(firstVersion > 0);

        var updated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (_, _) => updated.TrySetResult();
        _host.Cache.Update(s => s with { Revoked = s.Revoked.WithSerial("0a1b", DateTimeOffset.UtcNow.AddHours(1)).WithJwtId("jti-1", DateTimeOffset.UtcNow.AddHours(1)) });
        await updated.Task.WaitAsync(WorkloadApiHost.Timeout);

        Assert.True(source.DenyList.IsSerialRevoked("0A1B"));
        Assert.Equal("jti 'jti-1' is revoked", source.DenyList.CheckJwt(Spiffe.Ids.SpiffeId.Parse("spiffe://example.org/web"), "jti-1", DateTimeOffset.UtcNow));
        Assert.True(source.Version > firstVersion);

        // The agent stops: revocations must not be forgotten while the source reconnects.
        await _host.DisposeAsync();
        Assert.True(source.DenyList.IsSerialRevoked("0A1B"));
        Assert.True(source.IsWatching);
    }

    [Fact]
    public async Task CreateAsync_AgentWithoutTesseraExtensions_FailsAtOnceSayingSo()
    {
        // A SPIFFE-only agent: the SPIFFE Workload API is served (an X509Source works), Tessera's extension is not.
        await using var spiffeOnly = await WorkloadApiHost.StartAsync(tesseraExtensions: false);
        spiffeOnly.Publish(WorkloadApiHost.Entry("e1", "/web"));
        await using (await X509Source.CreateAsync(X509SourceTests.Options(spiffeOnly.SocketPath)).WaitAsync(WorkloadApiHost.Timeout))
        {
        }

        // The initial timeout is far longer than the test's wait: the refusal must not wait it out.
        var ex = await Assert.ThrowsAsync<WorkloadApiException>(() =>
            DenyListSource.CreateAsync(X509SourceTests.Options(spiffeOnly.SocketPath, initialTimeout: TimeSpan.FromMinutes(10))).WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        Assert.Equal(
            $"the agent at {spiffeOnly.SocketPath} does not serve Tessera's deny list (tessera.workload.v1.TesseraWorkload/WatchDenyList is unimplemented): it is not a Tessera agent, or one older than the deny-list stream",
            ex.Message);
    }

    [Fact]
    public async Task CreateAsync_NothingServingHttp2Routes_FailsAtOnceSayingSo()
    {
        using var dir = new TempDirectory();
        var socketPath = Path.Combine(dir.Path, "bare.sock");
        await using var other = await StartBareHttp2Async(socketPath);

        var ex = await Assert.ThrowsAsync<WorkloadApiException>(() =>
            DenyListSource.CreateAsync(X509SourceTests.Options(socketPath, initialTimeout: TimeSpan.FromMinutes(10))).WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal(StatusCode.Unimplemented, ex.StatusCode);
        Assert.StartsWith($"the agent at {socketPath} does not serve Tessera's deny list", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisposeAsync_StopsTheWatchLoop()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var source = await DenyListSource.CreateAsync(X509SourceTests.Options(_host.SocketPath)).WaitAsync(WorkloadApiHost.Timeout);

        await source.DisposeAsync().AsTask().WaitAsync(WorkloadApiHost.Timeout);

        Assert.False(source.IsWatching);
        Assert.Throws<ObjectDisposedException>(() => source.DenyList);
    }

    /// <summary>An HTTP/2 server on a Unix socket that serves no gRPC service at all, as a non-Tessera agent serves none of Tessera's.</summary>
    private static async Task<WebApplication> StartBareHttp2Async(string socketPath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.ListenUnixSocket(socketPath, l => l.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        await app.StartAsync().WaitAsync(WorkloadApiHost.Timeout);
        return app;
    }
}
