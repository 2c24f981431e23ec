using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Datastore;

public abstract partial class DataStoreConformanceTests
{
    [Fact]
    public async Task Agents_UpsertGetListBanDelete_RoundTrip()
    {
        var agent = new AttestedAgent
        {
            SpiffeId = Id("/agent/join_token/abc"),
            AttestationType = "join_token",
            SvidSerial = "01ab",
            ExpiresAt = Clock.GetUtcNow().AddHours(1),
            Selectors = [Sel("join_token:abc")],
        };
        await Store.UpsertAgentAsync(agent, Ct);
        await Store.UpsertAgentAsync(agent with { SpiffeId = Id("/agent/a"), Selectors = [] }, Ct);

        await Store.UpsertAgentAsync(agent with { Banned = true, SvidSerial = "02cd" }, Ct);

        var read = await Store.GetAgentAsync(agent.SpiffeId, Ct);
        Assert.True(read!.Banned);
        Assert.Equal("02cd", read.SvidSerial);
        Assert.Equal(agent.ExpiresAt, read.ExpiresAt);
        Assert.Equal(["join_token:abc"], read.Selectors.Select(s => s.ToString()));
        Assert.Equal(["spiffe://example.org/agent/a", "spiffe://example.org/agent/join_token/abc"],
            (await Store.ListAgentsAsync(Ct)).Select(a => a.SpiffeId.ToString()));
        Assert.True(await Store.DeleteAgentAsync(agent.SpiffeId, Ct));
        Assert.False(await Store.DeleteAgentAsync(agent.SpiffeId, Ct));
        Assert.Null(await Store.GetAgentAsync(agent.SpiffeId, Ct));
    }

    [Fact]
    public async Task Bundles_SetTwiceListDelete_SequenceGrows()
    {
        var other = TrustDomain.Parse("other.org");

        Assert.Equal(1, (await Store.SetBundleAsync(other, """{"keys":[1]}""", Ct)).Sequence);
        Assert.Equal(2, (await Store.SetBundleAsync(other, """{"keys":[2]}""", Ct)).Sequence);
        await Store.SetBundleAsync(TrustDomain.Parse("example.org"), """{"keys":[]}""", Ct);

        Assert.Equal(new StoredBundle(other, """{"keys":[2]}""", 2), await Store.GetBundleAsync(other, Ct));
        Assert.Equal(["example.org", "other.org"], (await Store.ListBundlesAsync(Ct)).Select(b => b.TrustDomain.Name));
        Assert.True(await Store.DeleteBundleAsync(other, Ct));
        Assert.False(await Store.DeleteBundleAsync(other, Ct));
        Assert.Null(await Store.GetBundleAsync(other, Ct));
    }

    [Fact]
    public async Task IssuedSvids_Record_CanBeReadBySerial()
    {
        var svid = new IssuedSvid("7f01", Id("/web"), Clock.GetUtcNow().AddHours(1), Id("/agent/a"));
        await Store.RecordIssuedSvidAsync(svid, Ct);
        await Store.RecordIssuedSvidAsync(new IssuedSvid("7f02", Id("/agent/a"), Clock.GetUtcNow().AddHours(1), null), Ct);

        Assert.Equal(svid, await Store.GetIssuedSvidAsync("7f01", Ct));
        Assert.Null((await Store.GetIssuedSvidAsync("7f02", Ct))!.IssuedTo);
        Assert.Null(await Store.GetIssuedSvidAsync("0000", Ct));
    }
}
