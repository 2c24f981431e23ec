using System.CommandLine;

namespace Tessera.Cli.Drill;

/// <summary><c>tessera drill …</c>: incident rehearsals against a running deployment.</summary>
internal static class DrillCommand
{
    public static Command Create() => new("drill", "Rehearse incidents against a running deployment and measure the response.")
    {
        DrillRevocationCommand.Create(),
        Rotation.RotationDrillCommand.Create(),
    };
}
