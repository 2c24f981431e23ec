using Tessera.Server.Configuration;
using Tessera.Server.Federation;
using Tessera.Server.NodeApi;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Federation;

public sealed class BundleFetcherServiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private static readonly TrustDomain Partner = TrustDomain.Parse("partner.test");

    [Fact]
    public async Task Loop_RefreshHint_NextFetchExactlyWhenTheHintElapses()
    {
        using var ca = TestCa.CreateRoot(Partner.Name);
        var clock = new TimerClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var client = new FakeBundleEndpointClient().Returns(new SpiffeBundle(Partner, new X509Bundle(Partner, [ca.Certificate]), null, 1, TimeSpan.FromSeconds(30)).ToJson());
        await using var stores = await FederationStore.OpenAsync();
        var refresher = stores.Refresher(client, new ChangeFeed(), clock);
        var options = Options(new FederationRelationship(Partner, new Uri("https://partner.test/"), BundleEndpointProfile.HttpsWeb, null));
        using var service = new BundleFetcherService(options, refresher, clock);

        await service.StartAsync(CancellationToken.None);
        await UntilAsync(() => client.Fetches == 1 && clock.Pending == 1);

        clock.Advance(TimeSpan.FromSeconds(29));
        await Task.Delay(200);
        Assert.Equal(1, client.Fetches);

        clock.Advance(TimeSpan.FromSeconds(1));
        await UntilAsync(() => client.Fetches == 2 && clock.Pending == 1);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Loop_EndpointDown_RetriesWithBackoffOnTheClock()
    {
        var clock = new TimerClock(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var client = new FakeBundleEndpointClient().Fails("down");
        await using var stores = await FederationStore.OpenAsync();
        var refresher = stores.Refresher(client, new ChangeFeed(), clock);
        using var service = new BundleFetcherService(Options(new FederationRelationship(Partner, new Uri("https://partner.test/"), BundleEndpointProfile.HttpsWeb, null)), refresher, clock);

        await service.StartAsync(CancellationToken.None);
        await UntilAsync(() => client.Fetches == 1 && clock.Pending == 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await UntilAsync(() => client.Fetches == 2 && clock.Pending == 1);
        clock.Advance(TimeSpan.FromSeconds(1));
        await Task.Delay(200);
        Assert.Equal(2, client.Fetches);
        clock.Advance(TimeSpan.FromSeconds(1));
        await UntilAsync(() => client.Fetches == 3);
        await service.StopAsync(CancellationToken.None);
    }

    private static ServerOptions Options(FederationRelationship relationship) => new()
    {
        TrustDomain = TrustDomain.Parse("example.org"),
        DataDir = "/nonexistent",
        AdminSocket = "/nonexistent/admin.sock",
        AdminUids = [],
        HealthAddress = "127.0.0.1:0",
        Datastore = "sqlite",
        KeyManager = "memory",
        CaTtl = TimeSpan.FromHours(24),
        X509SvidTtl = TimeSpan.FromHours(1),
        JwtSvidTtl = TimeSpan.FromMinutes(5),
        Federation = new FederationOptions { FederatesWith = [relationship] },
    };

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
