using System.CommandLine;

namespace Tessera.Cli.Internal;

/// <summary>
/// The <c>--reason</c> every CA change and every revocation needs; checked in the action (not by the parser) so a
/// missing one exits 2 with one clear line saying what the reason is for.
/// </summary>
internal sealed class ReasonOption
{
    public const string CaChangeMissing = "--reason is required: say why the key is rotated, tainted or removed (it is kept in the audit log)";

    public const string RevocationMissing = "--reason is required: say why the credential is revoked (it is kept with the revocation and in the audit log)";

    private ReasonOption(string description, string missing)
    {
        Option = new Option<string>("--reason") { Description = description };
        Missing = missing;
    }

    /// <summary>The option to add to the command.</summary>
    public Option<string> Option { get; }

    /// <summary>The line printed when the reason is missing or blank.</summary>
    public string Missing { get; }

    /// <summary>The reason for <c>tessera ca rotate|taint|remove</c>.</summary>
    public static ReasonOption ForCaChange() => new("why (required; kept in the audit log)", CaChangeMissing);

    /// <summary>The reason for <c>tessera revoke svid|jwt</c>.</summary>
    public static ReasonOption ForRevocation() => new("why (required; kept with the revocation and in the audit log)", RevocationMissing);

    /// <summary>Returns the reason, or null after writing <see cref="Missing"/> to <paramref name="error"/>.</summary>
    public string? Get(ParseResult result, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(error);
        var reason = result.GetValue(Option);
        if (string.IsNullOrWhiteSpace(reason))
        {
            error.WriteLine(Missing);
            return null;
        }

        return reason;
    }
}
