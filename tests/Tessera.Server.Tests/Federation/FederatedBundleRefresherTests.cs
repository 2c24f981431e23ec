using Tessera.Server.Federation;
using Tessera.Server.NodeApi;
using Tessera.Server.Tests.Audit;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Federation;

public sealed class FederatedBundleRefresherTests : IAsyncLifetime, IDisposable
{
    private static readonly TrustDomain Partner = TrustDomain.Parse("partner.test");
    private static readonly FederationRelationship Relationship =
        new(Partner, new Uri("https://bundles.partner.test/"), BundleEndpointProfile.HttpsSpiffe, SpiffeId.Parse("spiffe://partner.test/tessera/server"));

    private readonly TestCa _ca = TestCa.CreateRoot(Partner.Name);
    private readonly TestCa _nextCa = TestCa.CreateRoot(Partner.Name);
    private readonly FakeBundleEndpointClient _client = new();
    private readonly ChangeFeed _changes = new();
    private FederationStore? _stores;
    private FederatedBundleRefresher? _refresherField;

    private Tessera.Server.Datastore.IDataStore Store => _stores!.Store;

    private InMemoryAuditStore AuditStore => _stores!.Audit;

    private FederatedBundleRefresher Refresher => _refresherField!;

    public async Task InitializeAsync()
    {
        _stores = await FederationStore.OpenAsync();
        _refresherField = _stores.Refresher(_client, _changes, TimeProvider.System);
    }

    public async Task DisposeAsync() => await _stores!.DisposeAsync();

    public void Dispose()
    {
        _ca.Dispose();
        _nextCa.Dispose();
    }

    private string Bundle(ulong? sequence, TimeSpan? hint = null, params TestCa[] authorities) =>
        new SpiffeBundle(Partner, new X509Bundle(Partner, (authorities.Length == 0 ? [_ca] : authorities).Select(a => a.Certificate)), null, sequence, hint).ToJson();

    private async Task HoldAsync(string json) => await Store.SetBundleAsync(Partner, json, CancellationToken.None);

    [Fact]
    public async Task RefreshAsync_NewerBundle_StoredAuditedSignalledAndScheduledOnItsHint()
    {
        await HoldAsync(Bundle(1));
        var fetched = Bundle(2, TimeSpan.FromSeconds(30), _ca, _nextCa);
        _client.Returns(fetched);
        var version = _changes.Version;

        var outcome = await Refresher.RefreshAsync(Relationship, CancellationToken.None);

        Assert.Equal(new RefreshOutcome(true, null, TimeSpan.FromSeconds(30)), outcome);
        Assert.Equal(fetched, (await Store.GetBundleAsync(Partner, CancellationToken.None))!.Json);
        Assert.True(_changes.Version > version);
        var record = Assert.Single(AuditStore.Records);
        Assert.Equal(("federation.bundle.update", "ok"), (record.Event.Action, record.Event.Outcome));
        Assert.Equal("partner.test sequence 2 (2 X.509 authorities, 0 JWT keys) from https://bundles.partner.test/", record.Event.Target);
        // The endpoint was authenticated with the bundle held before the fetch.
        Assert.Single(Assert.Single(_client.HeldSeen)!.X509Bundle.Authorities);
    }

    [Fact]
    public async Task RefreshAsync_SequenceGoesBack_HeldBundleKeptWithExactError()
    {
        var held = Bundle(5, null, _ca, _nextCa);
        await HoldAsync(held);
        _client.Returns(Bundle(4));

        var outcome = await Refresher.RefreshAsync(Relationship, CancellationToken.None);

        Assert.Equal("spiffe_sequence went back from 5 to 4; keeping the held bundle", outcome.Error);
        Assert.False(outcome.Updated);
        Assert.Equal(held, (await Store.GetBundleAsync(Partner, CancellationToken.None))!.Json);
        var record = Assert.Single(AuditStore.Records);
        Assert.Equal(("federation.bundle.refresh", "partner.test", "error", outcome.Error), (record.Event.Action, record.Event.Target, record.Event.Outcome, record.Event.Reason));
    }

    [Fact]
    public async Task RefreshAsync_UnparseableJson_HeldBundleKeptWithExactError()
    {
        var held = Bundle(1);
        await HoldAsync(held);
        const string Garbage = "{\"keys\": [ {\"kty\": \"EC\", \"use\": \"x509-svid\", \"x5c\": [\"not base64!\"]} ]}";
        _client.Returns(Garbage);
        var parseError = Assert.Throws<FormatException>(() => SpiffeBundle.Parse(Partner, Garbage)).Message;

        var outcome = await Refresher.RefreshAsync(Relationship, CancellationToken.None);

        Assert.Equal($"not a valid SPIFFE bundle: {parseError}", outcome.Error);
        Assert.Equal(held, (await Store.GetBundleAsync(Partner, CancellationToken.None))!.Json);
    }

    [Fact]
    public async Task RefreshAsync_NotJsonAtAll_Refused()
    {
        await HoldAsync(Bundle(1));
        _client.Returns("<html>maintenance</html>");

        var outcome = await Refresher.RefreshAsync(Relationship, CancellationToken.None);

        Assert.StartsWith("not a valid SPIFFE bundle: ", outcome.Error, StringComparison.Ordinal);
        Assert.Equal(1, (await Store.GetBundleAsync(Partner, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task RefreshAsync_BundleWithoutAuthorities_Refused()
    {
        await HoldAsync(Bundle(1));
        _client.Returns("{\"keys\":[],\"spiffe_sequence\":9}");

        var outcome = await Refresher.RefreshAsync(Relationship, CancellationToken.None);

        Assert.Equal("the bundle has no X.509 authorities and no JWT keys; keeping the held bundle", outcome.Error);
        Assert.Equal(1, (await Store.GetBundleAsync(Partner, CancellationToken.None))!.Sequence);
    }

    [Fact]
    public async Task RefreshAsync_SameBundleAgain_NoWriteNoAudit()
    {
        var json = Bundle(3, TimeSpan.FromSeconds(60));
        await HoldAsync(json);
        _client.Returns(json);

        var outcome = await Refresher.RefreshAsync(Relationship, CancellationToken.None);

        Assert.Equal(new RefreshOutcome(false, null, TimeSpan.FromSeconds(60)), outcome);
        Assert.Equal(1, (await Store.GetBundleAsync(Partner, CancellationToken.None))!.Sequence);
        Assert.Empty(AuditStore.Records);
    }

    [Fact]
    public async Task RefreshAsync_RepeatedFailures_BackoffGrowsAndOneAuditRecordPerDistinctError()
    {
        await HoldAsync(Bundle(1, TimeSpan.FromMinutes(5)));
        _client.Fails("bundle endpoint https://bundles.partner.test/: connection refused");

        var delays = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            delays.Add((await Refresher.RefreshAsync(Relationship, CancellationToken.None)).NextRefresh);
        }

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], delays);
        Assert.Single(AuditStore.Records);
    }

    [Fact]
    public async Task RefreshAsync_SuccessAfterFailures_BackoffResets()
    {
        await HoldAsync(Bundle(1));
        _client.Fails("down").Fails("down").Returns(Bundle(2, TimeSpan.FromSeconds(20))).Fails("down again");

        await Refresher.RefreshAsync(Relationship, CancellationToken.None);
        await Refresher.RefreshAsync(Relationship, CancellationToken.None);
        var success = await Refresher.RefreshAsync(Relationship, CancellationToken.None);
        var failure = await Refresher.RefreshAsync(Relationship, CancellationToken.None);

        Assert.True(success.Updated);
        Assert.Equal(TimeSpan.FromSeconds(1), failure.NextRefresh);
    }
}
