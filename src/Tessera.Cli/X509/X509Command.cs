using System.CommandLine;

namespace Tessera.Cli.X509;

/// <summary><c>tessera x509 …</c>: work with X509-SVIDs.</summary>
internal static class X509Command
{
    public static Command Create() =>
        new("x509", "Work with X509-SVIDs.")
        {
            X509VerifyCommand.Create(),
        };
}
