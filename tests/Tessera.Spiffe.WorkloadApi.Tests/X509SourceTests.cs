using Tessera.Agent.Tests.WorkloadApi;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.WorkloadApi.Tests;

public sealed class X509SourceTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    // The socket lives outside the host's own temp directory so that a second host can take it over (agent restart).
    private readonly TempDirectory _dir = new();
    private WorkloadApiHost _host = null!;

    private string SocketPath => Path.Combine(_dir.Path, "api.sock");

    public async Task InitializeAsync() => _host = await WorkloadApiHost.StartAsync(socketPath: SocketPath);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _dir.Dispose();

    internal static WorkloadApiSourceOptions Options(string address, TimeSpan? initialTimeout = null) => new()
    {
        Address = address,
        InitialTimeout = initialTimeout ?? WorkloadApiHost.Timeout,
        MinRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromMilliseconds(500),
    };

    [Fact]
    public async Task CreateAsync_Identity_ServesSvidAndEveryBundle()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        await using var source = await X509Source.CreateAsync(Options("unix://" + SocketPath)).WaitAsync(WorkloadApiHost.Timeout);

        Assert.Equal(SpiffeId.Parse("spiffe://example.org/web"), source.Svid.Id);
        Assert.Equal("hint-e1", source.Svid.Hint);
        Assert.Equal(_host.Cache.Current.Svids["e1"].Serial, source.Svid.Certificate.SerialNumber);
        Assert.True(source.TryGetX509Bundle(WorkloadApiHost.Domain, out var own));
        Assert.Equal(_host.Ca.Certificate.RawData, Assert.Single(own.Authorities).RawData);
        Assert.True(source.TryGetX509Bundle(WorkloadApiHost.Federated, out var federated));
        Assert.Equal(_host.FederatedCa.Certificate.RawData, Assert.Single(federated.Authorities).RawData);
        Assert.False(source.TryGetX509Bundle(TrustDomain.Parse("unknown.test"), out _));
    }

    [Fact]
    public async Task CreateAsync_AgentNotSyncedYet_WaitsForTheFirstUpdate()
    {
        var creating = X509Source.CreateAsync(Options(SocketPath));
        await Task.Delay(Quiet);
        Assert.False(creating.IsCompleted);

        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        await using var source = await creating.WaitAsync(WorkloadApiHost.Timeout);

        Assert.Equal(SpiffeId.Parse("spiffe://example.org/web"), source.Svid.Id);
    }

    [Fact]
    public async Task Rotation_RaisesUpdatedWithTheNewSvid()
    {
        var entry = WorkloadApiHost.Entry("e1", "/web");
        _host.Publish(entry);
        await using var source = await X509Source.CreateAsync(Options(SocketPath)).WaitAsync(WorkloadApiHost.Timeout);
        var first = source.Svid.Certificate.SerialNumber;
        var updated = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (sender, _) => updated.TrySetResult(((X509Source)sender!).Svid.Certificate.SerialNumber);

        _host.Publish(entry);
        var seen = await updated.Task.WaitAsync(WorkloadApiHost.Timeout);

        Assert.NotEqual(first, seen);
        Assert.Equal(_host.Cache.Current.Svids["e1"].Serial, seen);
        Assert.Equal(seen, source.Svid.Certificate.SerialNumber);
    }

    [Fact]
    public async Task AgentRestart_KeepsTheLastSvidThenReconnectsAndSeesTheNewOne()
    {
        var entry = WorkloadApiHost.Entry("e1", "/web");
        _host.Publish(entry);
        await using var source = await X509Source.CreateAsync(Options(SocketPath)).WaitAsync(WorkloadApiHost.Timeout);
        var before = source.Svid.Certificate.SerialNumber;

        await _host.DisposeAsync();
        await Task.Delay(Quiet);
        Assert.Equal(before, source.Svid.Certificate.SerialNumber);
        Assert.True(source.IsWatching);

        var updated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (_, _) => updated.TrySetResult();
        _host = await WorkloadApiHost.StartAsync(socketPath: SocketPath);
        _host.Publish(entry);
        await updated.Task.WaitAsync(WorkloadApiHost.Timeout);

        Assert.Equal(_host.Cache.Current.Svids["e1"].Serial, source.Svid.Certificate.SerialNumber);
        Assert.NotEqual(before, source.Svid.Certificate.SerialNumber);
        Assert.True(source.TryGetX509Bundle(WorkloadApiHost.Domain, out var own));
        Assert.Equal(_host.Ca.Certificate.RawData, Assert.Single(own.Authorities).RawData);
    }

    [Fact]
    public async Task CreateAsync_NothingListening_TimeoutNamingTheSocketAndTheLastError()
    {
        var missing = Path.Combine(_dir.Path, "missing.sock");

        var ex = await Assert.ThrowsAsync<TimeoutException>(
            () => X509Source.CreateAsync(Options(missing, TimeSpan.FromSeconds(5))).WaitAsync(WorkloadApiHost.Timeout));

        // 5 s, not less: "(last error: …)" needs one whole failed attempt inside the timeout, cold JIT included.
        Assert.StartsWith($"no X.509 context from the Workload API at {missing} within 5s (last error: cannot reach the Workload API at {missing}: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateAsync_AgentNeverAnswers_TimeoutNamingTheSocket()
    {
        var ex = await Assert.ThrowsAsync<TimeoutException>(
            () => X509Source.CreateAsync(Options(SocketPath, TimeSpan.FromMilliseconds(500))).WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal($"no X.509 context from the Workload API at {SocketPath} within 0.5s", ex.Message);
    }

    [Fact]
    public async Task CreateAsync_NoIdentity_TimeoutCarryingThePermissionDenied()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/other", "unix:uid:999999"));

        var ex = await Assert.ThrowsAsync<TimeoutException>(
            () => X509Source.CreateAsync(Options(SocketPath, TimeSpan.FromSeconds(5))).WaitAsync(WorkloadApiHost.Timeout));

        Assert.Equal($"no X.509 context from the Workload API at {SocketPath} within 5s (last error: no identity issued)", ex.Message);
    }

    [Fact]
    public async Task CreateAsync_BadOptions_ArgumentExceptionNamingEveryProblem()
    {
        var options = Options(SocketPath) with { InitialTimeout = TimeSpan.Zero, MaxRetryDelay = TimeSpan.FromMilliseconds(10) };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => X509Source.CreateAsync(options));

        Assert.Equal("invalid Workload API source options: InitialTimeout must be positive, not 00:00:00; MaxRetryDelay (00:00:00.0100000) must not be shorter than MinRetryDelay (00:00:00.0500000) (Parameter 'options')", ex.Message);
    }

    [Fact]
    public async Task DisposeAsync_StopsTheWatchLoopAndUpdates()
    {
        var entry = WorkloadApiHost.Entry("e1", "/web");
        _host.Publish(entry);
        var source = await X509Source.CreateAsync(Options(SocketPath)).WaitAsync(WorkloadApiHost.Timeout);
        var updates = 0;
        source.Updated += (_, _) => Interlocked.Increment(ref updates);

        await source.DisposeAsync().AsTask().WaitAsync(WorkloadApiHost.Timeout);
        _host.Publish(entry);
        await Task.Delay(Quiet);

        Assert.False(source.IsWatching);
        Assert.Equal(0, Volatile.Read(ref updates));
        Assert.Throws<ObjectDisposedException>(() => source.Svid);
        source.Dispose();
    }

    [Fact]
    public async Task Updated_ThrowingHandler_OtherHandlersStillRun()
    {
        var entry = WorkloadApiHost.Entry("e1", "/web");
        _host.Publish(entry);
        await using var source = await X509Source.CreateAsync(Options(SocketPath)).WaitAsync(WorkloadApiHost.Timeout);
        var updated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (_, _) => throw new InvalidOperationException("a subscriber's bug");
        source.Updated += (_, _) => updated.TrySetResult();

        _host.Publish(entry);

        await updated.Task.WaitAsync(WorkloadApiHost.Timeout);
        Assert.True(source.IsWatching);
    }

    [Fact]
    public async Task Dispose_FromItsOwnUpdatedHandler_DoesNotDeadlockAndStops()
    {
        var entry = WorkloadApiHost.Entry("e1", "/web");
        _host.Publish(entry);
        var source = await X509Source.CreateAsync(Options(SocketPath)).WaitAsync(WorkloadApiHost.Timeout);
        var disposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.Updated += (_, _) =>
        {
            source.Dispose();
            disposed.TrySetResult();
        };

        _host.Publish(entry);
        await disposed.Task.WaitAsync(WorkloadApiHost.Timeout);

        var deadline = DateTime.UtcNow + WorkloadApiHost.Timeout;
        while (source.IsWatching && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        Assert.False(source.IsWatching);
        Assert.Throws<ObjectDisposedException>(() => source.Svid);
    }
}
