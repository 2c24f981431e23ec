using System.CommandLine;

namespace Tessera.Cli.Server;

/// <summary><c>tessera server run|healthcheck</c>.</summary>
internal static class ServerCommand
{
    public static Command Create() => new("server", "Run the Tessera server (the root of trust of a trust domain) and check its health.")
    {
        ServerRunCommand.Create(),
        ServerHealthcheckCommand.Create(),
    };
}
