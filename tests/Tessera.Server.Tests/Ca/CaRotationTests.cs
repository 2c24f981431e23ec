using System.Security.Cryptography.X509Certificates;
using Tessera.Server.Ca.Rotation;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Tests.Ca;

/// <summary>Rotation walked through several CA lifetimes on a fake clock, for both kinds of key.</summary>
public sealed class CaRotationTests
{
    private const string Audience = "spiffe://example.org/db";
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan CaTtl = TimeSpan.FromHours(24);

    [Fact]
    public async Task Tick_FourLifetimes_PublishesBeforeActivatingAndKeepsOldKeysUntilExpiry()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);
        var firstPublished = new Dictionary<string, DateTimeOffset>();
        var activatedAt = new Dictionary<string, DateTimeOffset>();
        var removedAt = new Dictionary<string, DateTimeOffset>();
        var notAfter = new Dictionary<string, DateTimeOffset>();
        var x509Svids = new List<X509Certificate2[]>();
        var jwtSvids = new List<(string Token, DateTimeOffset Expiry)>();
        var previous = new HashSet<string>();

        for (var at = TimeSpan.Zero; at <= CaTtl * 4; at += Step)
        {
            clock.Set(ManualClock.AtEpoch().GetUtcNow() + at);
            await ca.TickAsync(CancellationToken.None);
            var now = clock.GetUtcNow();
            var keys = ca.X509Keys.Concat(ca.JwtKeys).ToArray();
            foreach (var key in keys)
            {
                firstPublished.TryAdd(key.KeyId, now);
                notAfter[key.KeyId] = key.NotAfter;
                if (key.Status == KeyStatus.Active)
                {
                    activatedAt.TryAdd(key.KeyId, now);
                }
            }

            foreach (var gone in previous.Except(keys.Select(k => k.KeyId)))
            {
                removedAt[gone] = now;
            }

            previous = [.. keys.Select(k => k.KeyId)];
            Assert.Single(ca.X509Keys, k => k.Status == KeyStatus.Active);
            Assert.Single(ca.JwtKeys, k => k.Status == KeyStatus.Active);
            Assert.Equal(ca.X509Keys.Count, ca.X509Bundle.Authorities.Count);
            Assert.Equal(ca.JwtKeys.Select(k => k.KeyId), ca.JwtBundle.Authorities.Select(a => a.KeyId));

            // Everything signed earlier and not yet expired still verifies against the bundle published now.
            x509Svids.RemoveAll(chain => chain[0].NotAfter.ToUniversalTime() <= now.UtcDateTime);
            foreach (var chain in x509Svids)
            {
                var result = X509SvidVerifier.Verify(chain, ca.X509Bundle, now);
                Assert.True(result.IsValid, $"at +{at}: {result}");
            }

            jwtSvids.RemoveAll(j => j.Expiry <= now);
            foreach (var (token, _) in jwtSvids)
            {
                var result = JwtSvidValidator.Validate(token, ca.JwtBundle, Audience, now, TimeSpan.Zero);
                Assert.True(result.IsValid, $"at +{at}: {result}");
            }

            x509Svids.Add(ca.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey()));
            jwtSvids.Add((ca.SignJwtSvid(CaTests.Workload, [Audience]), now + TimeSpan.FromMinutes(5)));
        }

        // Walked through at least four rotations per kind (one key per half CA TTL after the first).
        Assert.True(activatedAt.Count(a => a.Key.StartsWith("x509-", StringComparison.Ordinal)) >= 8);
        Assert.True(activatedAt.Count(a => a.Key.StartsWith("jwt-", StringComparison.Ordinal)) >= 8);
        foreach (var (id, activated) in activatedAt.Where(a => a.Value > firstPublished.Values.Min()))
        {
            // Published as prepared a third of a CA TTL (8h) before it started signing.
            Assert.Equal(CaTtl / 3, activated - firstPublished[id]);
        }

        foreach (var (id, removed) in removedAt)
        {
            // Removed at the first tick at or after its notAfter, never earlier.
            Assert.True(removed >= notAfter[id], $"{id} removed at {removed:O}, before its notAfter {notAfter[id]:O}");
            Assert.True(removed - notAfter[id] < Step);
        }

        Assert.True(removedAt.Count >= 12);
    }

    [Fact]
    public async Task Tick_NothingDue_ReturnsFalseAndKeepsSequence()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);
        var sequence = ca.Bundle.Sequence;
        clock.Advance(TimeSpan.FromHours(1));
        Assert.False(await ca.TickAsync(CancellationToken.None));
        Assert.Equal(sequence, ca.Bundle.Sequence);
        clock.Advance(TimeSpan.FromHours(11));
        Assert.True(await ca.TickAsync(CancellationToken.None));
        Assert.Equal(sequence + 1, ca.Bundle.Sequence);
        Assert.Equal([KeyStatus.Active, KeyStatus.Prepared], ca.X509Keys.Select(k => k.Status));
        Assert.Equal(2, ca.X509Bundle.Authorities.Count);
    }

    [Fact]
    public async Task Tick_ServerDownForDays_StartsAfreshWithOneActiveKey()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CaTests.CreateAsync(clock);
        clock.Advance(TimeSpan.FromDays(10));
        await ca.TickAsync(CancellationToken.None);
        var key = Assert.Single(ca.X509Keys);
        Assert.Equal(KeyStatus.Active, key.Status);
        Assert.Equal(clock.GetUtcNow(), key.NotBefore);
        Assert.Single(ca.JwtKeys);
    }
}
