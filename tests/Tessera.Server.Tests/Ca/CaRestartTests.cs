using Tessera.Server.Ca.Journal.File;
using Tessera.Server.Ca.Rotation;
using Tessera.Server.KeyManagers.Disk;
using Tessera.Server.KeyManagers.Memory;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Tests.Ca;

/// <summary>Rotation state survives restarts through the journal and the key manager.</summary>
public sealed class CaRestartTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task CreateAsync_RestartMidRotation_RestoresSameStateAndContinues()
    {
        var clock = ManualClock.AtEpoch();
        var keysDir = _temp.File("keys");
        var journalPath = _temp.File("ca/journal.json");
        using var first = await CaTests.CreateAsync(clock, keys: new DiskKeyManager(keysDir), journal: new FileCaJournal(journalPath));
        clock.Advance(TimeSpan.FromHours(14)); // prepared key published, not yet active
        await first.TickAsync(CancellationToken.None);
        var svid = first.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey());
        var jwt = first.SignJwtSvid(CaTests.Workload, ["aud"]);

        using var second = await CaTests.CreateAsync(clock, keys: new DiskKeyManager(keysDir), journal: new FileCaJournal(journalPath));
        Assert.Equal(Describe(first.X509Keys), Describe(second.X509Keys));
        Assert.Equal(Describe(first.JwtKeys), Describe(second.JwtKeys));
        Assert.Equal(first.Bundle.ToJson(), second.Bundle.ToJson());
        Assert.True(X509SvidVerifier.Verify(svid, second.X509Bundle, clock.GetUtcNow()).IsValid);
        Assert.True(Tessera.Spiffe.Jwt.JwtSvidValidator.Validate(jwt, second.JwtBundle, "aud", clock.GetUtcNow(), TimeSpan.Zero).IsValid);

        // Both continue identically: the restarted CA activates the very key the first one prepared.
        var prepared = second.X509Keys.Single(k => k.Status == KeyStatus.Prepared).KeyId;
        clock.Advance(TimeSpan.FromHours(6));
        await second.TickAsync(CancellationToken.None);
        Assert.Equal(prepared, second.X509Keys.Single(k => k.Status == KeyStatus.Active).KeyId);
        Assert.Equal(4, Directory.GetFiles(keysDir).Length); // old + active, for X.509 and for JWT
    }

    [Fact]
    public async Task CreateAsync_MemoryKeysLost_StartsWithFreshKeys()
    {
        var clock = ManualClock.AtEpoch();
        var journal = new FileCaJournal(_temp.File("journal.json"));
        using var first = await CaTests.CreateAsync(clock, keys: new MemoryKeyManager(), journal: journal);
        using var second = await CaTests.CreateAsync(clock, keys: new MemoryKeyManager(), journal: journal);
        Assert.NotEqual(first.X509Keys.Single().KeyId, second.X509Keys.Single().KeyId);
        Assert.True(second.Bundle.Sequence > first.Bundle.Sequence);
    }

    [Fact]
    public async Task CreateAsync_JournalOfAnotherTrustDomain_Refused()
    {
        var clock = ManualClock.AtEpoch();
        var journal = new FileCaJournal(_temp.File("journal.json"));
        var keys = new MemoryKeyManager();
        (await CaTests.CreateAsync(clock, keys: keys, journal: journal)).Dispose();
        var other = CaTests.Options with { TrustDomain = Tessera.Spiffe.Ids.TrustDomain.Parse("other.org") };
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CaTests.CreateAsync(clock, other, keys, journal));
        Assert.Equal("the CA journal belongs to trust domain 'example.org', not 'other.org'; use another data directory", ex.Message);
    }

    public void Dispose() => _temp.Dispose();

    private static string[] Describe(IReadOnlyList<CaKeyEntry> keys) =>
        [.. keys.Select(k => $"{k.KeyId} {k.Status} {k.NotBefore:O} {k.NotAfter:O} {Convert.ToHexString(k.Certificate ?? [])}")];
}
