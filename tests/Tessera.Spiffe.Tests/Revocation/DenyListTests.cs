using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;

namespace Tessera.Spiffe.Tests.Revocation;

public sealed class DenyListTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SpiffeId Web = SpiffeId.Parse("spiffe://example.org/web");

    [Fact]
    public void CheckJwt_RevokedJti_Refused()
    {
        var list = DenyList.Empty.WithJwtId("abc", Now.AddMinutes(5));

        Assert.Equal("jti 'abc' is revoked", list.CheckJwt(Web, "abc", Now));
        Assert.Null(list.CheckJwt(Web, "other", Now));
        Assert.Null(list.CheckJwt(Web, null, Now));
    }

    [Fact]
    public void CheckJwt_IdentityCutoff_RefusesOlderAndTokensWithoutIat()
    {
        var list = DenyList.Empty.WithJwtIssuedBefore(Web, Now, Now.AddHours(1));

        Assert.Equal("every JWT-SVID of spiffe://example.org/web issued before 2026-01-01T12:00:00.0000000+00:00 is revoked", list.CheckJwt(Web, "a", Now.AddSeconds(-1)));
        Assert.Equal("every JWT-SVID of spiffe://example.org/web issued before 2026-01-01T12:00:00.0000000+00:00 is revoked", list.CheckJwt(Web, "a", null));
        Assert.Null(list.CheckJwt(Web, "a", Now));
        Assert.Null(list.CheckJwt(SpiffeId.Parse("spiffe://example.org/db"), "a", Now.AddSeconds(-1)));
    }

    [Fact]
    public void WithJwtIssuedBefore_OlderCutoff_DoesNotReplaceNewer()
    {
        var list = DenyList.Empty.WithJwtIssuedBefore(Web, Now, Now.AddHours(1)).WithJwtIssuedBefore(Web, Now.AddMinutes(-5), Now.AddHours(2));

        Assert.Equal(new JwtCutoff(Now, Now.AddHours(1)), list.JwtIssuedBefore[Web]);
    }

    [Fact]
    public void IsSerialRevoked_AnyCase_Matches()
    {
        var list = DenyList.Empty.WithSerial("0a1b", Now.AddHours(1));

        Assert.True(list.IsSerialRevoked("0A1B"));
        Assert.True(list.IsSerialRevoked("0a1b"));
        Assert.False(list.IsSerialRevoked("0A1C"));
        Assert.Equal(["0A1B"], list.Serials.Keys);
    }

    [Fact]
    public void CheckX509_RevokedLeaf_NamesTheSerial()
    {
        using var ca = TestCa.CreateRoot();
        using var svid = ca.IssueSvid("/web");
        using var other = ca.IssueSvid("/web");
        var list = DenyList.Empty.WithSerial(svid.Leaf.SerialNumber.ToLowerInvariant(), Now.AddHours(1));

        Assert.Equal($"certificate serial {svid.Leaf.SerialNumber} is revoked", list.CheckX509(svid.Leaf));
        Assert.Null(list.CheckX509(other.Leaf));
    }

    [Fact]
    public void Prune_ExpiredRecords_Removed()
    {
        var list = DenyList.Empty
            .WithSerial("0A", Now).WithSerial("0B", Now.AddSeconds(1))
            .WithJwtId("j", Now)
            .WithJwtIssuedBefore(Web, Now, Now);

        var pruned = list.Prune(Now);

        Assert.Equal(["0B"], pruned.Serials.Keys);
        Assert.Equal(1, pruned.Count);
        Assert.True(pruned.IsSerialRevoked("0b"));
        Assert.Same(pruned, pruned.Prune(Now));
    }

    [Fact]
    public void SameRecords_EqualContentBuiltApart_True()
    {
        var a = DenyList.Empty.WithSerial("0A", Now).WithJwtId("j", Now);
        var b = DenyList.Empty.WithJwtId("j", Now).WithSerial("0a", Now);

        Assert.True(a.SameRecords(b));
        Assert.False(a.SameRecords(b.WithJwtId("k", Now)));
        Assert.False(a.SameRecords(DenyList.Empty.WithSerial("0A", Now.AddSeconds(1)).WithJwtId("j", Now)));
    }

    [Fact]
    public void StaticDenyListSource_Update_RaisesUpdatedWithNewList()
    {
        var source = new StaticDenyListSource();
        var raised = 0;
        source.Updated += (_, _) => raised++;

        source.Update(DenyList.Empty.WithSerial("0A", Now));

        Assert.Equal(1, raised);
        Assert.True(source.DenyList.IsSerialRevoked("0A"));
    }
}
