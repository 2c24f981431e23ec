using System.Security.Cryptography;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Dev;

/// <summary>Turns an unusable file already in the --out directory (a corrupt key or CA, no permission) into exit code 2 with a message, never a crash.</summary>
internal static class DevFiles
{
    public static int Guard(Func<int> run)
    {
        try
        {
            return run();
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException or FormatException)
        {
            // The message comes from the platform's PEM/IO layer; it names the problem, not key material.
            Console.Error.WriteLine($"--out: an existing file there is unusable ({ex.GetType().Name}: {ex.Message}); remove it or use another directory");
            return ExitCodes.BadInput;
        }
    }
}
