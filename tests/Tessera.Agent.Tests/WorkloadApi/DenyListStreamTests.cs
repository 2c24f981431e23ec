using Grpc.Core;
using Tessera.Contracts.Workload.V1;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Tests.WorkloadApi;

public sealed class DenyListStreamTests : IAsyncLifetime
{
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkloadApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task WatchDenyList_Revocation_SendsFullSnapshotsWithGrowingVersions()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var expires = DateTimeOffset.UtcNow.AddHours(1);
        using var call = _host.TesseraClient().WatchDenyList(new DenyListRequest(), WorkloadApiHost.Options());

        var first = await call.ResponseStream.NextAsync();
        Assert.Empty(first.Serials);
        Assert.Empty(first.JwtIds);
        Assert.Empty(first.JwtIssuedBefore);

        var db = SpiffeId.Parse("spiffe://example.org/db");
        var cutoff = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _host.Cache.Update(s => s with { Revoked = s.Revoked.WithSerial("0a1b", expires).WithJwtId("jti-1", expires).WithJwtIssuedBefore(db, cutoff, expires) });
        var second = await call.ResponseStream.NextAsync();

        Assert.True(second.Version > first.Version);
        var serial = Assert.Single(second.Serials);
        Assert.Equal("0A1B", serial.Serial);
        Assert.Equal(expires.ToUnixTimeSeconds(), serial.ExpiresAtUnix);
        Assert.Equal("jti-1", Assert.Single(second.JwtIds).Jti);
        var rule = Assert.Single(second.JwtIssuedBefore);
        Assert.Equal(db.ToString(), rule.SpiffeId);
        Assert.Equal(cutoff.ToUnixTimeMilliseconds(), rule.CutoffUnixMs);
        Assert.Equal(expires.ToUnixTimeSeconds(), rule.UntilUnix);

        // Cache changes that leave the list's records as they were (another entry; the same serial added again) send nothing.
        _host.Publish(WorkloadApiHost.Entry("e2", "/api"));
        _host.Cache.Update(s => s with { Revoked = s.Revoked.WithSerial("0A1B", expires) });
        var next = await call.ResponseStream.AssertQuietAsync(TimeSpan.FromMilliseconds(500));

        _host.Cache.Update(s => s with { Revoked = s.Revoked.WithSerial("0C", expires) });
        Assert.True(await next.WaitAsync(WorkloadApiHost.Timeout));
        Assert.Equal(["0A1B", "0C"], call.ResponseStream.Current.Serials.Select(s => s.Serial).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task WatchDenyList_BeforeFirstSync_SendsNothingUntilSynced()
    {
        using var call = _host.TesseraClient().WatchDenyList(new DenyListRequest(), WorkloadApiHost.Options());

        var next = await call.ResponseStream.AssertQuietAsync(TimeSpan.FromMilliseconds(500));
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        Assert.True(await next.WaitAsync(WorkloadApiHost.Timeout));
        Assert.Empty(call.ResponseStream.Current.Serials);
    }

    [Fact]
    public async Task WatchDenyList_RecordExpires_SendsThePrunedList()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        // 6 s of real time: the first message (call set-up on a cold, loaded host included) must go out before it.
        var soon = DateTimeOffset.UtcNow.AddSeconds(6);
        _host.Cache.Update(s => s with { Revoked = s.Revoked.WithJwtId("short", soon).WithJwtId("long", soon.AddHours(1)) });
        using var call = _host.TesseraClient().WatchDenyList(new DenyListRequest(), WorkloadApiHost.Options());

        var first = await call.ResponseStream.NextAsync();
        Assert.Equal(["long", "short"], first.JwtIds.Select(j => j.Jti).Order(StringComparer.Ordinal));

        // Nothing changes in the cache: the stream wakes by itself when "short" expires.
        var pruned = await call.ResponseStream.NextAsync();
        Assert.Equal("long", Assert.Single(pruned.JwtIds).Jti);
        Assert.True(DateTimeOffset.UtcNow >= soon);
    }

    [Fact]
    public async Task WatchDenyList_WithoutSecurityHeader_InvalidArgument()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.TesseraClient().WatchDenyList(new DenyListRequest(), new CallOptions(deadline: DateTime.UtcNow + WorkloadApiHost.Timeout));

        await StreamReading.AssertStatusAsync(() => call.ResponseStream.MoveNext(CancellationToken.None), StatusCode.InvalidArgument, "security header 'workload.spiffe.io: true' is missing");
    }
}
