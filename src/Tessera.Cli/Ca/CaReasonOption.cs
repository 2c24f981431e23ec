using System.CommandLine;

namespace Tessera.Cli.Ca;

/// <summary>The <c>--reason</c> every CA change needs; checked in the action so a missing one exits 2 with one clear line.</summary>
internal static class CaReasonOption
{
    public const string Missing = "--reason is required: say why the key is rotated, tainted or removed (it is kept in the audit log)";

    public static Option<string> Create() => new("--reason") { Description = "why (required; kept in the audit log)" };

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
