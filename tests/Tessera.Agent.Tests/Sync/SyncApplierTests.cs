using Tessera.Agent.Cache;
using Tessera.Agent.Sync;
using Tessera.Agent.Tests.Fakes;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Tests.Sync;

public sealed class SyncApplierTests
{
    private static readonly CacheSnapshot Empty = new() { TrustDomain = TrustDomain.Parse("example.org") };
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Apply_FullThenDelta_ReplacesThenUpsertsAndDeletes()
    {
        var problems = new List<string>();
        var first = SyncApplier.Apply(Empty, new SyncResponse { Full = true, Entries = { Entries.Make("a"), Entries.Make("b") } }, Now, problems);
        Assert.True(first.Synced);
        Assert.Equal(["a", "b"], first.Entries.Keys.Order());

        var second = SyncApplier.Apply(first, new SyncResponse { Entries = { Entries.Make("c"), Entries.Make("a", revision: 2) }, DeletedEntryIds = { "b" } }, Now, problems);
        Assert.Equal(["a", "c"], second.Entries.Keys.Order());
        Assert.Equal(2, second.Entries["a"].Revision);

        var full = SyncApplier.Apply(second, new SyncResponse { Full = true, Entries = { Entries.Make("z") } }, Now, problems);
        Assert.Equal(["z"], full.Entries.Keys);
        Assert.Empty(problems);
    }

    [Fact]
    public void Apply_MalformedEntry_SkippedWithReason()
    {
        var problems = new List<string>();
        var bad = Entries.Make("bad", spiffeId: "spiffe://example.org");
        var snapshot = SyncApplier.Apply(Empty, new SyncResponse { Full = true, Entries = { bad, Entries.Make("good") } }, Now, problems);

        Assert.Equal(["good"], snapshot.Entries.Keys);
        Assert.Equal(["entry bad: spiffe_id: has no path"], problems);
    }

    [Fact]
    public void Apply_RevokedSerial_DropsThatSvidAndKeepsOthers()
    {
        var problems = new List<string>();
        var synced = SyncApplier.Apply(Empty, new SyncResponse { Full = true, Entries = { Entries.Make("a"), Entries.Make("b") } }, Now, problems);
        synced = synced with { Svids = synced.Svids.Add("a", Svid("a", "0A1B")).Add("b", Svid("b", "0C")) };

        var next = SyncApplier.Apply(synced, new SyncResponse { Revocations = { Revoked("x509", "0a1b", Now.AddHours(1)) } }, Now, problems);

        Assert.Equal(["b"], next.Svids.Keys);
        Assert.True(next.Revoked.IsSerialRevoked("0A1B"));
        Assert.Equal(["a", "b"], next.Entries.Keys.Order());
        Assert.Empty(problems);
    }

    [Fact]
    public void Apply_FullDenyList_ReplacesAndPrunesExpired()
    {
        var problems = new List<string>();
        var first = SyncApplier.Apply(Empty, new SyncResponse { Full = true, Revocations = { Revoked("jwt", "old", Now.AddHours(1)) } }, Now, problems);

        var full = SyncApplier.Apply(first, new SyncResponse { Full = true, Revocations = { Revoked("jwt", "new", Now.AddHours(1)), Revoked("jwt", "gone", Now.AddSeconds(-1)) } }, Now, problems);

        Assert.Equal(["new"], full.Revoked.JwtIds.Keys);
    }

    [Fact]
    public void Apply_RevokedAuthority_InTheDenyListUpperCase()
    {
        var problems = new List<string>();

        var next = SyncApplier.Apply(Empty, new SyncResponse { Full = true, Revocations = { Revoked("x509_authority", "ab12", Now.AddHours(12)) } }, Now, problems);

        Assert.Equal(Now.AddHours(12).ToUnixTimeSeconds(), next.Revoked.Authorities["AB12"].ToUnixTimeSeconds());
        Assert.Empty(problems);
    }

    [Fact]
    public void Apply_UnknownRevocationKind_SkippedWithReason()
    {
        var problems = new List<string>();

        var next = SyncApplier.Apply(Empty, new SyncResponse { Full = true, Revocations = { Revoked("token", "x", Now.AddHours(1)) } }, Now, problems);

        Assert.Equal(0, next.Revoked.Count);
        Assert.Equal(["revocation of kind 'token'"], problems);
    }

    private static NodeRevocation Revoked(string kind, string value, DateTimeOffset expires) =>
        new() { Kind = kind, Value = value, ExpiresAtUnix = expires.ToUnixTimeSeconds(), RevokedAtUnixMs = Now.ToUnixTimeMilliseconds() };

    private static CachedSvid Svid(string entryId, string serial) => new()
    {
        EntryId = entryId,
        EntryRevision = 1,
        SpiffeId = SpiffeId.Parse($"spiffe://example.org/{entryId}"),
        ChainDer = [],
        KeyPkcs8 = [],
        Serial = serial,
        NotBefore = Now,
        NotAfter = Now.AddHours(1),
        AuthorityKeyId = string.Empty,
    };
}
