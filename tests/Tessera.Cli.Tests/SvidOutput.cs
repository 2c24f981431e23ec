using System.Text.RegularExpressions;

namespace Tessera.Cli.Tests;

/// <summary>Reads X509-SVID serials out of what <c>tessera agent api fetch x509</c> and <c>agent api watch</c> print.</summary>
internal static partial class SvidOutput
{
    /// <summary>The serial <c>fetch x509</c> printed.</summary>
    public static string Serial(string fetchOutput) =>
        SerialLine().Match(fetchOutput) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException($"no serial in: {fetchOutput}");

    /// <summary>Every serial of <c>spiffe://example.org/e2e/web</c> that <c>watch</c> printed, oldest first.</summary>
    public static IEnumerable<string> WatchedSerials(string watchOutput) => WatchLine().Matches(watchOutput).Select(m => m.Groups[1].Value);

    [GeneratedRegex(@"serial:\s+([0-9A-F]+)")]
    private static partial Regex SerialLine();

    [GeneratedRegex(@"spiffe://example\.org/e2e/web serial ([0-9A-F]+)")]
    private static partial Regex WatchLine();
}
