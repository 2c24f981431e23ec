using System.CommandLine;

namespace Tessera.Cli.Dev;

/// <summary>
/// <c>tessera dev …</c>: throw-away credentials for trying Tessera and for tests. Not for production —
/// a real trust domain's keys live in the server's key manager.
/// </summary>
internal static class DevCommand
{
    public static Command Create() =>
        new("dev", "Development helpers: throw-away CAs and SVIDs on disk. Not for production.")
        {
            DevX509SvidCommand.Create(),
            DevJwtSvidCommand.Create(),
        };
}
