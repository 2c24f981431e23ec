namespace Tessera.Server.Ca.Rotation;

/// <summary>The rotation actions <see cref="RotationPlanner"/> can ask for.</summary>
internal enum RotationAction
{
    /// <summary>Create a key that is active at once (first start, or every key lost or expired).</summary>
    CreateActive,

    /// <summary>Create the next key in <see cref="KeyStatus.Prepared"/> status and publish it.</summary>
    Prepare,

    /// <summary>Make the prepared key active; the active one becomes old.</summary>
    Activate,

    /// <summary>Drop an expired key from the bundle and the key manager.</summary>
    Remove,
}
