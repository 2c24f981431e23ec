namespace Tessera.Server.Ca.Rotation;

/// <summary>
/// Emergency rotation of one kind of CA key, as pure functions of the keys (like <see cref="RotationPlanner"/>):
/// rotate at once and taint the active key, taint any key, remove a key before its time. Refusals are
/// <see cref="CaKeyOperationException"/>s whose messages are shown to the operator as they are.
/// </summary>
internal static class EmergencyRotation
{
    /// <summary>
    /// Returns the prepared key that can take over at once, or null when a new key must be created (there is none,
    /// it is tainted, or it is not valid yet).
    /// </summary>
    public static CaKeyEntry? Successor(IReadOnlyList<CaKeyEntry> keys, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return keys.FirstOrDefault(k => k.Status == KeyStatus.Prepared && !k.IsTainted && k.NotBefore <= now && k.NotAfter > now);
    }

    /// <summary>
    /// Activates <paramref name="successor"/> (the prepared key, or a key just created) and taints the key that was
    /// active: it becomes old and signs nothing more. Returns the keys after the change.
    /// </summary>
    public static IReadOnlyList<CaKeyEntry> RotateNow(IReadOnlyList<CaKeyEntry> keys, CaKeyEntry successor, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(successor);
        if (successor.IsTainted)
        {
            throw new CaKeyOperationException($"key '{successor.KeyId}' is tainted and can never be activated");
        }

        var result = new List<CaKeyEntry>(keys.Count + 1);
        foreach (var key in keys)
        {
            if (key.KeyId == successor.KeyId)
            {
                continue;
            }

            result.Add(key.Status == KeyStatus.Active ? key with { Status = KeyStatus.Old, TaintedAt = now } : key);
        }

        result.Add(successor with { Status = KeyStatus.Active });
        return result;
    }

    /// <summary>
    /// Taints a key that is not active: an old key is kept in the bundle until re-issuance completes; a prepared key
    /// (it signed nothing) is dropped at once. Refuses the active key (rotate first), an unknown and a tainted key.
    /// </summary>
    public static IReadOnlyList<CaKeyEntry> Taint(IReadOnlyList<CaKeyEntry> keys, string keyId, DateTimeOffset now)
    {
        var key = Find(keys, keyId);
        if (key.IsTainted)
        {
            throw new CaKeyOperationException($"key '{keyId}' is already tainted (since {key.TaintedAt:O})");
        }

        return key.Status switch
        {
            KeyStatus.Active => throw new CaKeyOperationException($"key '{keyId}' is the active key; rotate at once to taint it"),
            KeyStatus.Prepared => [.. keys.Where(k => k.KeyId != keyId)],
            _ => [.. keys.Select(k => k.KeyId == keyId ? k with { TaintedAt = now } : k)],
        };
    }

    /// <summary>Removes a key from the bundle before its time. Refuses the active key and an unknown key.</summary>
    public static IReadOnlyList<CaKeyEntry> Remove(IReadOnlyList<CaKeyEntry> keys, string keyId)
    {
        var key = Find(keys, keyId);
        return key.Status == KeyStatus.Active
            ? throw new CaKeyOperationException($"key '{keyId}' is the active key and cannot be removed; rotate first (tessera ca rotate --now)")
            : [.. keys.Where(k => k.KeyId != keyId)];
    }

    private static CaKeyEntry Find(IReadOnlyList<CaKeyEntry> keys, string keyId)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(keyId);
        return keys.FirstOrDefault(k => k.KeyId == keyId) ?? throw new CaKeyOperationException($"no CA key '{keyId}'");
    }
}
