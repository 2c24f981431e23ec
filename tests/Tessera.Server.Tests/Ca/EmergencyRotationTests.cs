using Tessera.Server.Ca.Rotation;

namespace Tessera.Server.Tests.Ca;

/// <summary>The pure emergency-rotation operations and the planner's handling of tainted keys.</summary>
public sealed class EmergencyRotationTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(24);
    private static readonly DateTimeOffset Now = T0 + TimeSpan.FromHours(13);

    [Fact]
    public void RotateNow_WithPreparedKey_PromotesItAndTaintsTheActiveOne()
    {
        CaKeyEntry[] keys = [Active("a"), Prepared("b")];

        var successor = EmergencyRotation.Successor(keys, Now);
        var next = EmergencyRotation.RotateNow(keys, successor!, Now);

        Assert.Equal("b", successor!.KeyId);
        Assert.Equal([("a", KeyStatus.Old, (DateTimeOffset?)Now), ("b", KeyStatus.Active, null)], next.Select(k => (k.KeyId, k.Status, k.TaintedAt)));
    }

    [Fact]
    public void RotateNow_NoUsablePreparedKey_NeedsANewOne()
    {
        Assert.Null(EmergencyRotation.Successor([Active("a")], Now));
        Assert.Null(EmergencyRotation.Successor([Active("a"), Prepared("b") with { TaintedAt = Now }], Now));
        Assert.Null(EmergencyRotation.Successor([Active("a"), Prepared("b") with { NotBefore = Now + TimeSpan.FromMinutes(1) }], Now));

        var next = EmergencyRotation.RotateNow([Active("a")], new CaKeyEntry("c", KeyStatus.Prepared, Now, Now + Ttl), Now);

        Assert.Equal([("a", KeyStatus.Old, true), ("c", KeyStatus.Active, false)], next.Select(k => (k.KeyId, k.Status, k.IsTainted)));
    }

    [Fact]
    public void RotateNow_TaintedSuccessor_Refused()
    {
        var ex = Assert.Throws<CaKeyOperationException>(() => EmergencyRotation.RotateNow([Active("a")], Prepared("b") with { TaintedAt = Now }, Now));
        Assert.Equal("key 'b' is tainted and can never be activated", ex.Message);
    }

    [Fact]
    public void Taint_OldKey_MarkedAndKept_PreparedKey_Dropped()
    {
        CaKeyEntry[] keys = [Old("o"), Active("a"), Prepared("p")];

        Assert.Equal(Now, EmergencyRotation.Taint(keys, "o", Now).Single(k => k.KeyId == "o").TaintedAt);
        Assert.Equal(["o", "a"], EmergencyRotation.Taint(keys, "p", Now).Select(k => k.KeyId));
    }

    [Theory]
    [InlineData("a", "key 'a' is the active key; rotate at once to taint it")]
    [InlineData("t", "key 't' is already tainted (since 2026-01-01T13:00:00.0000000+00:00)")]
    [InlineData("nope", "no CA key 'nope'")]
    public void Taint_Refusals_ExactMessages(string keyId, string message)
    {
        CaKeyEntry[] keys = [Old("t") with { TaintedAt = Now }, Active("a")];
        Assert.Equal(message, Assert.Throws<CaKeyOperationException>(() => EmergencyRotation.Taint(keys, keyId, Now)).Message);
    }

    [Theory]
    [InlineData("a", "key 'a' is the active key and cannot be removed; rotate first (tessera ca rotate --now)")]
    [InlineData("nope", "no CA key 'nope'")]
    public void Remove_Refusals_ExactMessages(string keyId, string message)
    {
        Assert.Equal(message, Assert.Throws<CaKeyOperationException>(() => EmergencyRotation.Remove([Old("o"), Active("a")], keyId)).Message);
    }

    [Fact]
    public void Remove_OldKey_Gone()
    {
        Assert.Equal(["a"], EmergencyRotation.Remove([Old("o"), Active("a")], "o").Select(k => k.KeyId));
    }

    [Fact]
    public void Planner_TaintedPreparedKey_NeverActivated()
    {
        CaKeyEntry[] keys = [Active("a"), Prepared("b") with { TaintedAt = Now }];

        // At 5/6 of a's life a normal rotation would activate b; tainted, it counts as absent and a new key is prepared.
        Assert.Equal(new RotationStep(RotationAction.Prepare), RotationPlanner.NextStep(keys, T0 + TimeSpan.FromHours(20)));
        Assert.Equal(new RotationStep(RotationAction.CreateActive), RotationPlanner.NextStep([Prepared("b") with { TaintedAt = Now }], Now));
    }

    [Fact]
    public void Planner_TaintedOldKey_RemovedAtNotAfterAsUsual()
    {
        CaKeyEntry[] keys = [Old("o") with { TaintedAt = Now }, Active("a")];
        Assert.Equal(new RotationStep(RotationAction.Remove, "o"), RotationPlanner.NextStep(keys, T0 + Ttl));
    }

    private static CaKeyEntry Active(string id) => new(id, KeyStatus.Active, T0, T0 + Ttl);

    private static CaKeyEntry Old(string id) => new(id, KeyStatus.Old, T0 - TimeSpan.FromHours(10), T0 + Ttl);

    private static CaKeyEntry Prepared(string id) => new(id, KeyStatus.Prepared, T0 + TimeSpan.FromHours(12), T0 + TimeSpan.FromHours(36));
}
