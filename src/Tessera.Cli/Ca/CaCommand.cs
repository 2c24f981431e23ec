using System.CommandLine;

namespace Tessera.Cli.Ca;

/// <summary>
/// <c>tessera ca show|rotate|taint|remove</c>: inspect the CA keys and, in an incident, rotate a possibly compromised
/// X.509 CA or JWT key at once. Every change needs <c>--reason</c> and is an audit record.
/// </summary>
internal static class CaCommand
{
    public static Command Create() => new("ca", "Inspect CA and JWT keys; emergency rotation of a possibly compromised key.")
    {
        CaShowCommand.Create(),
        CaRotateCommand.Create(),
        CaTaintCommand.Create(),
        CaRemoveCommand.Create(),
    };
}
