using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tests.Jwt;

namespace Tessera.Spiffe.Tests.Bundles;

public sealed class BundleSetTests
{
    private static readonly TrustDomain Other = TrustDomain.Parse("other.org");

    [Fact]
    public void Add_NewTrustDomains_AllReachableThroughEverySource()
    {
        var local = new SpiffeBundle(TestKeys.Domain, new X509Bundle(TestKeys.Domain, [BundleJson.EcCa]), new JwtBundle(TestKeys.Domain, [new JwtAuthority("k1", TestKeys.P256)]));
        var set = new BundleSet(local);
        set.Add(new SpiffeBundle(Other));

        Assert.Equal(2, set.Count);
        Assert.Equal([TestKeys.Domain, Other], set.TrustDomains);
        Assert.True(set.TryGet(TestKeys.Domain, out var got));
        Assert.Same(local, got);
        Assert.True(set.TryGetX509Bundle(TestKeys.Domain, out var x509));
        Assert.Same(local.X509Bundle, x509);
        Assert.True(set.TryGetJwtBundle(TestKeys.Domain, out var jwt));
        Assert.Same(local.JwtBundle, jwt);
        Assert.True(set.TryGetJwtBundle(Other, out var empty));
        Assert.True(empty.IsEmpty);
        Assert.False(set.TryGetJwtBundle(TrustDomain.Parse("third.org"), out _));
        Assert.False(set.TryGetX509Bundle(TrustDomain.Parse("third.org"), out _));
    }

    [Fact]
    public void Add_ExistingTrustDomain_Throws()
    {
        var set = new BundleSet(new SpiffeBundle(Other));

        var ex = Assert.Throws<ArgumentException>(() => set.Add(new SpiffeBundle(Other)));

        Assert.Equal("the set already has a bundle for 'other.org'; use Update to replace it (Parameter 'bundle')", ex.Message);
    }

    [Fact]
    public void Update_ExistingTrustDomain_Replaces()
    {
        var set = new BundleSet(new SpiffeBundle(Other, sequence: 1));

        set.Update(new SpiffeBundle(Other, sequence: 2));
        set.Update(new SpiffeBundle(TestKeys.Domain, sequence: 9));

        Assert.True(set.TryGet(Other, out var got));
        Assert.Equal(2UL, got.Sequence);
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void Remove_PresentAndAbsent_ReportsWhetherRemoved()
    {
        var set = new BundleSet(new SpiffeBundle(Other));

        Assert.True(set.Remove(Other));
        Assert.False(set.Remove(Other));
        Assert.False(set.TryGet(Other, out _));
    }

    [Fact]
    public void Update_ConcurrentWritersAndReaders_NoErrors()
    {
        var set = new BundleSet();
        var domains = Enumerable.Range(0, 16).Select(i => TrustDomain.Parse($"td{i}.org")).ToArray();

        Parallel.For(0, 2000, i =>
        {
            var td = domains[i % domains.Length];
            switch (i % 4)
            {
                case 0: set.Update(new SpiffeBundle(td, sequence: (ulong)i)); break;
                case 1: set.Remove(td); break;
                case 2: _ = set.TryGetJwtBundle(td, out _); break;
                default: _ = set.TrustDomains; break;
            }
        });

        Assert.InRange(set.Count, 0, domains.Length);
    }
}
