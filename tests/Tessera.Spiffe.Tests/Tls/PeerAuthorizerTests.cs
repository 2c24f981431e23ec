using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;

namespace Tessera.Spiffe.Tests.Tls;

public sealed class PeerAuthorizerTests
{
    private static readonly SpiffeId Api = SpiffeId.Parse("spiffe://example.org/api");
    private static readonly SpiffeId Web = SpiffeId.Parse("spiffe://example.org/web");
    private static readonly SpiffeId Foreign = SpiffeId.Parse("spiffe://other.org/api");

    [Fact]
    public void Id_OtherPeer_RefusedNamingBoth()
    {
        Assert.True(PeerAuthorizer.Id(Api).IsAuthorized(Api, out _));
        Assert.False(PeerAuthorizer.Id(Api).IsAuthorized(Web, out var reason));
        Assert.Equal("peer spiffe://example.org/web is not authorized (expected spiffe://example.org/api)", reason);
    }

    [Fact]
    public void OneOf_MemberAndStranger()
    {
        var authorizer = PeerAuthorizer.OneOf([Web, Api]);

        Assert.True(authorizer.IsAuthorized(Web, out _));
        Assert.False(authorizer.IsAuthorized(Foreign, out var reason));
        Assert.Equal("peer spiffe://other.org/api is not authorized (expected one of spiffe://example.org/api, spiffe://example.org/web)", reason);
    }

    [Fact]
    public void OneOf_Empty_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => PeerAuthorizer.OneOf([]));
        Assert.StartsWith("the set of accepted SPIFFE IDs is empty: no peer could connect", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MemberOf_OtherTrustDomain_Refused()
    {
        var authorizer = PeerAuthorizer.MemberOf(TrustDomain.Parse("example.org"));

        Assert.True(authorizer.IsAuthorized(Api, out _));
        Assert.False(authorizer.IsAuthorized(Foreign, out var reason));
        Assert.Equal("peer spiffe://other.org/api is not authorized (expected any member of spiffe://example.org)", reason);
    }

    [Fact]
    public void Predicate_UsesItsDescription()
    {
        var authorizer = PeerAuthorizer.Predicate(id => id.Path.StartsWith("/api", StringComparison.Ordinal), "a path under /api");

        Assert.True(authorizer.IsAuthorized(Api, out _));
        Assert.True(PeerAuthorizer.Any().IsAuthorized(Foreign, out _));
        Assert.False(authorizer.IsAuthorized(Web, out var reason));
        Assert.Equal("peer spiffe://example.org/web is not authorized (expected a path under /api)", reason);
    }
}
