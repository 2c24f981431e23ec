using System.CommandLine;

namespace Tessera.Cli.Jwt;

/// <summary><c>tessera jwt …</c>: work with JWT-SVIDs.</summary>
internal static class JwtCommand
{
    public static Command Create() =>
        new("jwt", "Work with JWT-SVIDs.")
        {
            JwtValidateCommand.Create(),
        };
}
