namespace Tessera.Server.Ca.Rotation;

/// <summary>The next thing rotation must do to one kind of key.</summary>
/// <param name="Action">What to do.</param>
/// <param name="KeyId">The entry it applies to (<see cref="RotationAction.Activate"/>, <see cref="RotationAction.Remove"/>), or null.</param>
internal sealed record RotationStep(RotationAction Action, string? KeyId = null);
