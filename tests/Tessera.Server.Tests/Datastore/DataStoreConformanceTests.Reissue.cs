using Tessera.Server.Datastore;

namespace Tessera.Server.Tests.Datastore;

/// <summary>The re-issuance criterion after a CA taint: which SVIDs of the tainted CA still await a successor.</summary>
public abstract partial class DataStoreConformanceTests
{
    [Fact]
    public async Task CountPendingReissue_HoldersWithoutASuccessorFromAnotherCaSinceTheTaint_Counted()
    {
        var now = Clock.GetUtcNow();
        var taint = now - TimeSpan.FromMinutes(1);
        var hour = now + TimeSpan.FromHours(1);
        await Store.CreateEntriesAsync([Entry("/web"), Entry("/db"), Entry("/old"), Entry("/legacy")], Ct);
        await Store.RecordIssuedSvidsAsync(
        [
            new("01", Id("/web"), hour, Id("/agent/a"), "OLD", taint - TimeSpan.FromMinutes(5)), // re-issued below (02)
            new("02", Id("/web"), hour, Id("/agent/a"), "NEW", taint + TimeSpan.FromSeconds(2)),
            new("03", Id("/web"), hour, Id("/agent/b"), "OLD", taint - TimeSpan.FromMinutes(5)), // same ID, other agent: pending
            new("04", Id("/db"), hour, Id("/agent/a"), "OLD", taint - TimeSpan.FromMinutes(5)),  // successor from before the taint: pending
            new("05", Id("/db"), hour, Id("/agent/a"), "OTHER", taint - TimeSpan.FromMinutes(1)),
            new("06", Id("/agent/a"), hour, null, "OLD", taint - TimeSpan.FromMinutes(5)),        // agent SVID renewed (07)
            new("07", Id("/agent/a"), hour, null, "NEW", taint + TimeSpan.FromSeconds(3)),
            new("08", Id("/old"), now - TimeSpan.FromSeconds(1), Id("/agent/a"), "OLD", taint - TimeSpan.FromHours(1)), // expired
            new("09", Id("/legacy"), hour, Id("/agent/a")), // before migration 6: authority unknown, never counted
        ], Ct);

        Assert.Equal(2, await Store.CountPendingReissueAsync("OLD", taint, now, Ct));
        Assert.Equal(0, await Store.CountPendingReissueAsync("NONE", taint, now, Ct));

        await Store.RecordIssuedSvidsAsync([new("10", Id("/web"), hour, Id("/agent/b"), "NEW", now), new("11", Id("/db"), hour, Id("/agent/a"), "NEW", now)], Ct);
        Assert.Equal(0, await Store.CountPendingReissueAsync("OLD", taint, now, Ct));
    }

    [Fact]
    public async Task CountPendingReissue_RevokedOrEntryDeleted_NotCounted()
    {
        var now = Clock.GetUtcNow();
        var taint = now - TimeSpan.FromMinutes(1);
        var hour = now + TimeSpan.FromHours(1);
        await Store.CreateEntriesAsync([Entry("/web")], Ct);
        await Store.RecordIssuedSvidsAsync(
        [
            new("21", Id("/web"), hour, Id("/agent/a"), "OLD", taint - TimeSpan.FromMinutes(5)),      // entry exists, no successor: pending
            new("22", Id("/deleted"), hour, Id("/agent/a"), "OLD", taint - TimeSpan.FromMinutes(5)),  // entry gone: the agent dropped it
            new("23", Id("/web"), hour, Id("/agent/b"), "OLD", taint - TimeSpan.FromMinutes(5)),      // revoked below
            new("24", Id("/agent/c"), hour, null, "OLD", taint - TimeSpan.FromMinutes(5)),            // an agent's own SVID: pending
        ], Ct);
        Assert.Equal(3, await Store.CountPendingReissueAsync("OLD", taint, now, Ct));

        await Store.AddRevocationsAsync([Revoked(RevocationKind.X509Serial, "23", "/web", TimeSpan.FromHours(1))], Ct);

        Assert.Equal(2, await Store.CountPendingReissueAsync("OLD", taint, now, Ct));
    }
}
