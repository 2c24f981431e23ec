using System.CommandLine;

namespace Tessera.Cli.Helper;

/// <summary><c>tessera helper</c>: certificate files for programs that cannot speak the Workload API.</summary>
internal static class HelperCommand
{
    public static Command Create() => new("helper", "Keep SVID, key, bundle and JWT files of an unmodified program up to date and reload it.")
    {
        HelperRunCommand.Create(),
    };
}
