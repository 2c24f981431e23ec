using Tessera.Server.Ca.Rotation;

namespace Tessera.Server.Tests.Ca;

/// <summary>The pure rotation state machine: prepare at 1/2, activate at 5/6, remove at notAfter.</summary>
public sealed class RotationPlannerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Ttl = TimeSpan.FromHours(24);

    [Fact]
    public void NextStep_NoKeys_CreateActive()
    {
        Assert.Equal(new RotationStep(RotationAction.CreateActive), RotationPlanner.NextStep([], T0));
    }

    [Fact]
    public void NextStep_ActiveKey_PreparesAtHalfLifeAndNotBefore()
    {
        CaKeyEntry[] keys = [new("a", KeyStatus.Active, T0, T0 + Ttl)];
        Assert.Null(RotationPlanner.NextStep(keys, T0 + TimeSpan.FromHours(12) - TimeSpan.FromSeconds(1)));
        Assert.Equal(new RotationStep(RotationAction.Prepare), RotationPlanner.NextStep(keys, T0 + TimeSpan.FromHours(12)));
    }

    [Fact]
    public void NextStep_PreparedKey_ActivatesAtFiveSixthsAndNotBefore()
    {
        CaKeyEntry[] keys = [new("a", KeyStatus.Active, T0, T0 + Ttl), new("b", KeyStatus.Prepared, T0 + TimeSpan.FromHours(12), T0 + TimeSpan.FromHours(36))];
        Assert.Null(RotationPlanner.NextStep(keys, T0 + TimeSpan.FromHours(20) - TimeSpan.FromSeconds(1)));
        var step = RotationPlanner.NextStep(keys, T0 + TimeSpan.FromHours(20));
        Assert.Equal(new RotationStep(RotationAction.Activate, "b"), step);
        Assert.Equal(
            [KeyStatus.Old, KeyStatus.Active],
            RotationPlanner.Apply(keys, step!).Select(k => k.Status));
    }

    [Fact]
    public void NextStep_OldKeyAtNotAfter_RemovedThenNextPrepared()
    {
        CaKeyEntry[] keys = [new("a", KeyStatus.Old, T0, T0 + Ttl), new("b", KeyStatus.Active, T0 + TimeSpan.FromHours(12), T0 + TimeSpan.FromHours(36))];
        Assert.Null(RotationPlanner.NextStep(keys, T0 + Ttl - TimeSpan.FromSeconds(1)));
        var step = RotationPlanner.NextStep(keys, T0 + Ttl);
        Assert.Equal(new RotationStep(RotationAction.Remove, "a"), step);

        // In the steady state the old key's notAfter is also the active key's half-life: the next one is prepared.
        Assert.Equal(new RotationStep(RotationAction.Prepare), RotationPlanner.NextStep(RotationPlanner.Apply(keys, step!), T0 + Ttl));
    }
}
