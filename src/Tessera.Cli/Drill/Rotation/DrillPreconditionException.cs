namespace Tessera.Cli.Drill.Rotation;

/// <summary>The drill could not start measuring: the deployment is not in the state the drill needs.</summary>
internal sealed class DrillPreconditionException(string message) : Exception(message);
