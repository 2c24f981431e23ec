using System.Text.Json;
using Grpc.Core;
using Tessera.Contracts.Workload;
using Tessera.Spiffe.Bundles;

namespace Tessera.Agent.Tests.WorkloadApi;

public sealed class BundleStreamTests : IAsyncLifetime
{
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkloadApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task FetchX509Bundles_SendsEveryTrustDomainKeyedBySpiffeId()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.Client().FetchX509Bundles(new X509BundlesRequest(), WorkloadApiHost.Options());

        var response = await call.ResponseStream.NextAsync();

        Assert.Equal(["spiffe://example.org", "spiffe://partner.test"], response.Bundles.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(_host.Ca.Certificate.RawData, response.Bundles["spiffe://example.org"].ToByteArray());
        Assert.Equal(_host.FederatedCa.Certificate.RawData, response.Bundles["spiffe://partner.test"].ToByteArray());
    }

    [Fact]
    public async Task FetchX509Bundles_FederatedBundleRemoved_PushesUpdate()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.Client().FetchX509Bundles(new X509BundlesRequest(), WorkloadApiHost.Options());
        await call.ResponseStream.NextAsync();

        _host.Cache.Update(s => s with { Bundles = s.Bundles.Remove(WorkloadApiHost.Federated) });

        Assert.Equal(["spiffe://example.org"], (await call.ResponseStream.NextAsync()).Bundles.Keys);
    }

    [Fact]
    public async Task FetchX509Bundles_NoSecurityHeader_InvalidArgument()
    {
        using var call = _host.Client().FetchX509Bundles(new X509BundlesRequest(), deadline: DateTime.UtcNow + WorkloadApiHost.Timeout);

        await StreamReading.AssertStatusAsync(() => call.ResponseStream.NextAsync(), StatusCode.InvalidArgument, "security header 'workload.spiffe.io: true' is missing");
    }

    [Fact]
    public async Task FetchJWTBundles_SendsJwksWithTheJwtAuthoritiesOnly()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.Client().FetchJWTBundles(new JWTBundlesRequest(), WorkloadApiHost.Options());

        var response = await call.ResponseStream.NextAsync();

        Assert.Equal(["spiffe://example.org", "spiffe://partner.test"], response.Bundles.Keys.Order(StringComparer.Ordinal));
        var own = SpiffeBundle.Parse(WorkloadApiHost.Domain, response.Bundles["spiffe://example.org"].Span);
        Assert.Equal([_host.Minter.Authority], own.JwtBundle.Authorities);
        Assert.True(own.X509Bundle.IsEmpty);
        using var partner = JsonDocument.Parse(response.Bundles["spiffe://partner.test"].Memory);
        Assert.Equal(0, partner.RootElement.GetProperty("keys").GetArrayLength());
    }

    [Fact]
    public async Task FetchJWTBundles_KeyAdded_PushesUpdate()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        using var call = _host.Client().FetchJWTBundles(new JWTBundlesRequest(), WorkloadApiHost.Options());
        await call.ResponseStream.NextAsync();

        using var minter = new FakeJwtSvidMinter();
        var added = new JwtAuthority("test-key-2", minter.Authority.CreatePublicKey());
        _host.Cache.Update(s => s with
        {
            Bundles = s.Bundles.SetItem(WorkloadApiHost.Domain, new SpiffeBundle(WorkloadApiHost.Domain, s.Bundles[WorkloadApiHost.Domain].X509Bundle, s.Bundles[WorkloadApiHost.Domain].JwtBundle.WithAuthority(added))),
        });

        var own = SpiffeBundle.Parse(WorkloadApiHost.Domain, (await call.ResponseStream.NextAsync()).Bundles["spiffe://example.org"].Span);
        Assert.Equal(["test-key-1", "test-key-2"], own.JwtBundle.Authorities.Select(a => a.KeyId));
    }
}
