namespace Tessera.Cli.Internal;

/// <summary>The POSIX signals a reload may send, by name (with or without the SIG prefix), with their Linux numbers.</summary>
internal static class SignalNames
{
    private static readonly Dictionary<string, int> Numbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HUP"] = 1,
        ["INT"] = 2,
        ["QUIT"] = 3,
        ["USR1"] = 10,
        ["USR2"] = 12,
        ["TERM"] = 15,
        ["WINCH"] = 28,
    };

    public static string Known => string.Join(", ", Numbers.Keys);

    /// <summary>Parses "HUP", "hup" or "SIGHUP"; <paramref name="name"/> is the canonical "SIGHUP".</summary>
    public static bool TryParse(string text, out string name, out int number)
    {
        var bare = text.StartsWith("SIG", StringComparison.OrdinalIgnoreCase) ? text[3..] : text;
        name = "SIG" + bare.ToUpperInvariant();
        return Numbers.TryGetValue(bare, out number);
    }
}
