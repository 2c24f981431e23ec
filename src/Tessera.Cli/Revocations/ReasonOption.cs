using System.CommandLine;

namespace Tessera.Cli.Revocations;

/// <summary>The <c>--reason</c> every revocation needs; checked in the action so a missing one exits 2 with one clear line.</summary>
internal static class ReasonOption
{
    public const string Missing = "--reason is required: say why the credential is revoked (it is kept with the revocation and in the audit log)";

    public static Option<string> Create() => new("--reason") { Description = "why (required; kept with the revocation and in the audit log)" };

    /// <summary>Returns the reason, or null after printing <see cref="Missing"/>.</summary>
    public static string? Get(ParseResult result, Option<string> option)
    {
        var reason = result.GetValue(option);
        if (string.IsNullOrWhiteSpace(reason))
        {
            Console.Error.WriteLine(Missing);
            return null;
        }

        return reason;
    }
}
