namespace Tessera.Server.Ca.Rotation;

/// <summary>
/// The rotation state machine, SPIRE style, as pure functions of (keys, now): <see cref="NextStep"/> says
/// what to do next and <see cref="Apply"/> computes the resulting keys. Timeline with CA TTL T, key A made at 0:
/// at T/2 the next key B is prepared (published, not signing); at 5T/6 B becomes active and A old; at T,
/// A's notAfter, A is removed — SVIDs are clamped to their CA's notAfter, so nothing A signed is still valid.
/// </summary>
internal static class RotationPlanner
{
    /// <summary>Returns the next step due at <paramref name="now"/>, or null when the keys are as they should be.</summary>
    public static RotationStep? NextStep(IReadOnlyList<CaKeyEntry> keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            if (key.NotAfter <= now)
            {
                return new RotationStep(RotationAction.Remove, key.KeyId);
            }
        }

        var active = keys.FirstOrDefault(k => k.Status == KeyStatus.Active);
        // A tainted key is never promoted (emergency rotation): a tainted prepared key counts as no prepared key.
        var prepared = keys.FirstOrDefault(k => k.Status == KeyStatus.Prepared && !k.IsTainted);
        if (active is null)
        {
            // After a long outage or a lost key: promote the prepared key if it is valid, else start afresh.
            return prepared is not null && prepared.NotBefore <= now
                ? new RotationStep(RotationAction.Activate, prepared.KeyId)
                : new RotationStep(RotationAction.CreateActive);
        }

        if (prepared is null)
        {
            return now >= active.PrepareAt ? new RotationStep(RotationAction.Prepare) : null;
        }

        return now >= active.ActivateNextAt ? new RotationStep(RotationAction.Activate, prepared.KeyId) : null;
    }

    /// <summary>
    /// Returns the keys after <paramref name="step"/>; <paramref name="created"/> is the new entry for
    /// <see cref="RotationAction.CreateActive"/> and <see cref="RotationAction.Prepare"/>.
    /// </summary>
    public static IReadOnlyList<CaKeyEntry> Apply(IReadOnlyList<CaKeyEntry> keys, RotationStep step, CaKeyEntry? created = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(step);
        return step.Action switch
        {
            RotationAction.CreateActive => [.. keys.Select(Demote), Require(created) with { Status = KeyStatus.Active }],
            RotationAction.Prepare => [.. keys.Where(k => k.Status != KeyStatus.Prepared), Require(created) with { Status = KeyStatus.Prepared }],
            RotationAction.Activate => [.. keys.Select(k => k.KeyId == step.KeyId ? k with { Status = KeyStatus.Active } : Demote(k))],
            RotationAction.Remove => [.. keys.Where(k => k.KeyId != step.KeyId)],
            _ => throw new ArgumentOutOfRangeException(nameof(step), step.Action, "unknown rotation action"),
        };
    }

    // A prepared key is never demoted to old: it signed nothing. Only the previously active key becomes old.
    private static CaKeyEntry Demote(CaKeyEntry key) => key.Status == KeyStatus.Active ? key with { Status = KeyStatus.Old } : key;

    private static CaKeyEntry Require(CaKeyEntry? created) =>
        created ?? throw new ArgumentNullException(nameof(created), "a create step needs the new entry");
}
