using Tessera.Agent.Cache;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Tests.Cache;

public sealed class DenyListTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly SpiffeId Web = SpiffeId.Parse("spiffe://example.org/web");

    [Fact]
    public void JwtRevocation_RevokedJti_Refused()
    {
        var list = DenyList.Empty with { JwtIds = DenyList.Empty.JwtIds.Add("abc", Now.AddMinutes(5)) };

        Assert.Equal("jti 'abc' is revoked", list.JwtRevocation(Web, "abc", Now));
        Assert.Null(list.JwtRevocation(Web, "other", Now));
    }

    [Fact]
    public void JwtRevocation_IdentityCutoff_RefusesOlderAndTokensWithoutIat()
    {
        var list = DenyList.Empty with { JwtIssuedBefore = DenyList.Empty.JwtIssuedBefore.Add(Web, (Now, Now.AddHours(1))) };

        Assert.Equal("every JWT-SVID of spiffe://example.org/web issued before 2026-01-01T12:00:00.0000000+00:00 is revoked", list.JwtRevocation(Web, "a", Now.AddSeconds(-1)));
        Assert.NotNull(list.JwtRevocation(Web, "a", null));
        Assert.Null(list.JwtRevocation(Web, "a", Now));
        Assert.Null(list.JwtRevocation(SpiffeId.Parse("spiffe://example.org/db"), "a", Now.AddSeconds(-1)));
    }

    [Fact]
    public void Prune_ExpiredRecords_Removed()
    {
        var list = DenyList.Empty with
        {
            Serials = DenyList.Empty.Serials.Add("0A", Now).Add("0B", Now.AddSeconds(1)),
            JwtIds = DenyList.Empty.JwtIds.Add("j", Now),
            JwtIssuedBefore = DenyList.Empty.JwtIssuedBefore.Add(Web, (Now, Now)),
        };

        var pruned = list.Prune(Now);

        Assert.Equal(["0B"], pruned.Serials.Keys);
        Assert.Equal(1, pruned.Count);
        Assert.True(pruned.IsSerialRevoked("0b"));
    }
}
