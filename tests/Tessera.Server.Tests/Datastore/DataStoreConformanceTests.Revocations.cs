using Tessera.Server.Datastore;

namespace Tessera.Server.Tests.Datastore;

/// <summary>Revocation records: kept until the credential's natural expiry, survive a reopen, first revocation wins.</summary>
public abstract partial class DataStoreConformanceTests
{
    private Revocation Revoked(RevocationKind kind, string value, string path, TimeSpan life, string reason = "key leaked") =>
        new(kind, value, Id(path), Clock.GetUtcNow() + life, reason, "uid:1000 pid:1 /usr/bin/tessera", Clock.GetUtcNow());

    [Fact]
    public async Task AddRevocations_AllKinds_ListedAndSurviveReopen()
    {
        var x509 = Revoked(RevocationKind.X509Serial, "0A1B", "/web", TimeSpan.FromHours(1));
        var jwt = Revoked(RevocationKind.JwtId, "abc-_123", "/web", TimeSpan.FromMinutes(5));
        var before = Revoked(RevocationKind.JwtIssuedBefore, Id("/db").ToString(), "/db", TimeSpan.FromMinutes(10));

        Assert.Equal(3, await Store.AddRevocationsAsync([x509, jwt, before], Ct));
        await ReopenAsync();

        var listed = await Store.ListRevocationsAsync(Clock.GetUtcNow(), Ct);
        Assert.Equal(3, listed.Count);
        Assert.Contains(x509, listed);
        Assert.Contains(jwt, listed);
        Assert.Contains(before, listed);
    }

    [Fact]
    public async Task AddRevocations_SameValueTwice_FirstRecordKept()
    {
        var first = Revoked(RevocationKind.X509Serial, "0A1B", "/web", TimeSpan.FromHours(1), "first");
        await Store.AddRevocationsAsync([first], Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var added = await Store.AddRevocationsAsync([Revoked(RevocationKind.X509Serial, "0A1B", "/web", TimeSpan.FromHours(2), "second")], Ct);

        Assert.Equal(0, added);
        Assert.Equal([first], await Store.ListRevocationsAsync(Clock.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task AddRevocations_IdentityCutoffAgain_CutoffMovesForward()
    {
        await Store.AddRevocationsAsync([Revoked(RevocationKind.JwtIssuedBefore, Id("/web").ToString(), "/web", TimeSpan.FromHours(1), "first")], Ct);
        Clock.Advance(TimeSpan.FromMinutes(1));
        var later = Revoked(RevocationKind.JwtIssuedBefore, Id("/web").ToString(), "/web", TimeSpan.FromHours(1), "second");

        Assert.Equal(1, await Store.AddRevocationsAsync([later], Ct));
        Assert.Equal([later], await Store.ListRevocationsAsync(Clock.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task AddRevocations_JtiWithoutIdentity_RoundTrips()
    {
        var jti = Revoked(RevocationKind.JwtId, "only-jti", "/web", TimeSpan.FromMinutes(5)) with { SpiffeId = null };

        await Store.AddRevocationsAsync([jti], Ct);

        Assert.Equal([jti], await Store.ListRevocationsAsync(Clock.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task AddRevocations_SameValueDifferentKind_BothKept()
    {
        await Store.AddRevocationsAsync([Revoked(RevocationKind.X509Serial, "ab", "/web", TimeSpan.FromHours(1)), Revoked(RevocationKind.JwtId, "ab", "/web", TimeSpan.FromHours(1))], Ct);

        Assert.Equal(2, (await Store.ListRevocationsAsync(Clock.GetUtcNow(), Ct)).Count);
    }

    [Fact]
    public async Task ListAndPruneRevocations_Expired_LeaveTheList()
    {
        var shortLived = Revoked(RevocationKind.JwtId, "short", "/web", TimeSpan.FromMinutes(5));
        var longLived = Revoked(RevocationKind.X509Serial, "0C", "/web", TimeSpan.FromHours(1));
        await Store.AddRevocationsAsync([shortLived, longLived], Ct);
        Clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal([longLived], await Store.ListRevocationsAsync(Clock.GetUtcNow(), Ct));
        Assert.Equal(1, await Store.PruneRevocationsAsync(Clock.GetUtcNow(), Ct));
        Assert.Equal(1, await RawCountAsync("SELECT COUNT(*) FROM revocations"));
    }

    [Fact]
    public async Task ListCurrentIssuedSvids_FiltersByIdentityAgentAndExpiry()
    {
        var now = Clock.GetUtcNow();
        await Store.RecordIssuedSvidsAsync(
        [
            new IssuedSvid("01", Id("/web"), now.AddHours(1), Id("/agent/a")),
            new IssuedSvid("02", Id("/web"), now.AddHours(1), Id("/agent/b")),
            new IssuedSvid("03", Id("/web"), now.AddMinutes(-1), Id("/agent/a")),
            new IssuedSvid("04", Id("/db"), now.AddHours(1), Id("/agent/a")),
        ], Ct);

        var web = await Store.ListCurrentIssuedSvidsAsync(Id("/web"), null, now, Ct);
        var agentA = await Store.ListCurrentIssuedSvidsAsync(null, Id("/agent/a"), now, Ct);
        var inTransaction = await Store.WriteAsync((writer, token) => writer.ListCurrentIssuedSvidsAsync(Id("/web"), Id("/agent/a"), now, token), Ct);

        Assert.Equal(["01", "02"], web.Select(s => s.Serial).Order(StringComparer.Ordinal));
        Assert.Equal(["01", "04"], agentA.Select(s => s.Serial).Order(StringComparer.Ordinal));
        Assert.Equal(["01"], inTransaction.Select(s => s.Serial));
    }

    [Fact]
    public async Task AddRevocations_InFailedTransaction_NothingRemains()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.WriteAsync<int>(async (writer, token) =>
        {
            await writer.AddRevocationsAsync([Revoked(RevocationKind.X509Serial, "0D", "/web", TimeSpan.FromHours(1))], token);
            throw new InvalidOperationException("boom");
        }, Ct));

        Assert.Empty(await Store.ListRevocationsAsync(Clock.GetUtcNow(), Ct));
    }
}
