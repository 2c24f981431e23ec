using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Tessera.Contracts.Workload;

namespace Tessera.Agent.Tests.WorkloadApi;

public sealed class FetchX509SvidTests : IAsyncLifetime
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkloadApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FetchX509SVID_NoSecurityHeader_InvalidArgumentNamingTheHeader()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), deadline: DateTime.UtcNow + WorkloadApiHost.Timeout);

        await StreamReading.AssertStatusAsync(() => call.ResponseStream.NextAsync(), StatusCode.InvalidArgument, "security header 'workload.spiffe.io: true' is missing");
    }

    [Fact]
    public async Task FetchX509SVID_HeaderNotTrue_InvalidArgument()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), new Metadata { { "workload.spiffe.io", "yes" } }, DateTime.UtcNow + WorkloadApiHost.Timeout);

        await StreamReading.AssertStatusAsync(() => call.ResponseStream.NextAsync(), StatusCode.InvalidArgument, "security header 'workload.spiffe.io: true' is missing");
    }

    [Fact]
    public async Task FetchX509SVID_NoMatchingEntry_PermissionDeniedAndReported()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/other", "unix:uid:999999"));
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());

        await StreamReading.AssertStatusAsync(() => call.ResponseStream.NextAsync(), StatusCode.PermissionDenied, "no identity issued");
        var reported = Assert.Single(_host.Events.Events);
        Assert.Equal("denied", reported.Outcome);
        Assert.Equal("workload.fetch_x509_svid", reported.Action);
        Assert.StartsWith($"uid:{WorkloadApiHost.OwnUid} pid:{Environment.ProcessId} exe:/", reported.Caller, StringComparison.Ordinal);
        Assert.Matches(@"^no registration entry matches the caller's \d+ selectors$", reported.Reason);
    }

    [Fact]
    public async Task FetchX509SVID_CachedIdentity_SendsChainKeyBundleHintAndFederatedBundles()
    {
        var entry = WorkloadApiHost.Entry("e1", "/web");
        _host.Publish(entry);
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());

        var response = await call.ResponseStream.NextAsync();

        var svid = Assert.Single(response.Svids);
        var cached = _host.Cache.Current.Svids["e1"];
        Assert.Equal("spiffe://example.org/web", svid.SpiffeId);
        Assert.Equal("hint-e1", svid.Hint);
        Assert.Equal(cached.ChainDer, svid.X509Svid.ToByteArray());
        Assert.Equal(_host.Ca.Certificate.RawData, svid.Bundle.ToByteArray());
        using var leaf = X509CertificateLoader.LoadCertificate(svid.X509Svid.ToByteArray());
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(svid.X509SvidKey.Span, out _);
        using var leafKey = leaf.GetECDsaPublicKey()!;
        Assert.Equal(leafKey.ExportSubjectPublicKeyInfo(), key.ExportSubjectPublicKeyInfo());
        Assert.Equal(["spiffe://partner.test"], response.FederatedBundles.Keys);
        Assert.Equal(_host.FederatedCa.Certificate.RawData, response.FederatedBundles["spiffe://partner.test"].ToByteArray());
    }

    [Fact]
    public async Task FetchX509SVID_CacheNotSynced_WaitsThenDelivers()
    {
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());

        var next = await call.ResponseStream.AssertQuietAsync(Quiet);
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        Assert.True(await next.WaitAsync(WorkloadApiHost.Timeout));
        Assert.Equal("spiffe://example.org/web", Assert.Single(call.ResponseStream.Current.Svids).SpiffeId);
    }

    [Fact]
    public async Task FetchX509SVID_EntryWithoutSvidYet_WaitsRatherThanSendingEmpty()
    {
        var entry = WorkloadApiHost.Entry("e1", "/web");
        _host.Publish(entry);
        _host.Cache.Update(s => s with { Svids = s.Svids.Clear() });
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());

        var next = await call.ResponseStream.AssertQuietAsync(Quiet);
        var svid = _host.Issue(entry);
        _host.Cache.Update(s => s with { Svids = s.Svids.SetItem("e1", svid) });

        Assert.True(await next.WaitAsync(WorkloadApiHost.Timeout));
        Assert.Equal(svid.ChainDer, Assert.Single(call.ResponseStream.Current.Svids).X509Svid.ToByteArray());
    }

    [Fact]
    public async Task FetchX509SVID_Rotation_PushesNewSvid_UnrelatedChangesDoNot()
    {
        var entry = WorkloadApiHost.Entry("e1", "/web");
        _host.Publish(entry);
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());
        var first = await call.ResponseStream.NextAsync();

        // Another workload's entry changes nothing for this caller: no message.
        var other = WorkloadApiHost.Entry("e2", "/someone-else", "unix:uid:999999");
        _host.Cache.Update(s => s with { Entries = s.Entries.SetItem("e2", other), Svids = s.Svids.SetItem("e2", _host.Issue(other)) });
        var next = await call.ResponseStream.AssertQuietAsync(Quiet);

        var rotated = _host.Issue(entry);
        _host.Cache.Update(s => s with { Svids = s.Svids.SetItem("e1", rotated) });

        Assert.True(await next.WaitAsync(WorkloadApiHost.Timeout));
        var second = Assert.Single(call.ResponseStream.Current.Svids);
        Assert.NotEqual(first.Svids[0].X509Svid, second.X509Svid);
        Assert.Equal(rotated.ChainDer, second.X509Svid.ToByteArray());
    }

    [Fact]
    public async Task FetchX509SVID_EntryAdded_PushesBothIdentities()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());
        Assert.Single((await call.ResponseStream.NextAsync()).Svids);

        var added = WorkloadApiHost.Entry("e0", "/api");
        _host.Cache.Update(s => s with { Entries = s.Entries.SetItem("e0", added), Svids = s.Svids.SetItem("e0", _host.Issue(added)) });

        var response = await call.ResponseStream.NextAsync();
        Assert.Equal(["spiffe://example.org/api", "spiffe://example.org/web"], response.Svids.Select(s => s.SpiffeId));
    }

    [Fact]
    public async Task FetchX509SVID_BundleChanged_PushesNewBundle()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());
        await call.ResponseStream.NextAsync();

        using var next = TestCa.CreateRoot("example.org");
        var own = _host.Cache.Current.Bundles[WorkloadApiHost.Domain];
        _host.Cache.Update(s => s with { Bundles = s.Bundles.SetItem(WorkloadApiHost.Domain, new Spiffe.Bundles.SpiffeBundle(WorkloadApiHost.Domain, own.X509Bundle.WithAuthority(next.Certificate), own.JwtBundle)) });

        var response = await call.ResponseStream.NextAsync();
        Assert.Equal([.. _host.Ca.Certificate.RawData, .. next.Certificate.RawData], response.Svids[0].Bundle.ToByteArray());
    }

    [Fact]
    public async Task FetchX509SVID_EntryRemoved_EndsStreamWithPermissionDenied()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());
        await call.ResponseStream.NextAsync();

        _host.Cache.Update(s => s with { Entries = s.Entries.Remove("e1"), Svids = s.Svids.Remove("e1") });

        await StreamReading.AssertStatusAsync(() => call.ResponseStream.NextAsync(), StatusCode.PermissionDenied, "no identity issued");
        Assert.Single(_host.Events.Events);
    }

    [Fact]
    public async Task FetchX509SVID_ClientDisconnectsMidStream_ServiceStaysHealthy()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var client = _host.Client();
        using (var cts = new CancellationTokenSource())
        {
            using var call = client.FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options(cts.Token));
            await call.ResponseStream.NextAsync();
            await cts.CancelAsync();
        }

        // Changes after the disconnect must not trip over the gone stream, and new callers are served.
        _host.Cache.Update(s => s with { Svids = s.Svids.SetItem("e1", _host.Issue(s.Entries["e1"])) });
        using var again = _host.Client().FetchX509SVID(new X509SVIDRequest(), WorkloadApiHost.Options());
        Assert.Equal(_host.Cache.Current.Svids["e1"].ChainDer, (await again.ResponseStream.NextAsync()).Svids[0].X509Svid.ToByteArray());
    }

}
