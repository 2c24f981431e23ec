using System.Text;

namespace Tessera.Cli.Drill;

/// <summary>
/// Renders the drill's report as an aligned text table (kind × enforcement point), its notes and the verdict. Plain
/// text on purpose: it reads the same in a terminal, a CI log and an incident ticket.
/// </summary>
internal static class DrillTable
{
    private static readonly string[] Headers = ["kind", "enforcement point", "rounds", "p50", "max", "p50 after return", "over bound", "still accepted", "refusal"];

    /// <summary>Returns the table, the notes and the verdict, each line ending in a newline.</summary>
    public static string Render(DrillReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<string[]> { Headers };
        lines.AddRange(report.Rows.Select(r => new[]
        {
            r.Kind, r.Point, r.Rounds.ToString(System.Globalization.CultureInfo.InvariantCulture), DrillFormat.Duration(r.P50), DrillFormat.Duration(r.Max),
            DrillFormat.Duration(r.P50SinceReturned), r.OverBound.ToString(System.Globalization.CultureInfo.InvariantCulture),
            r.StillAccepted.ToString(System.Globalization.CultureInfo.InvariantCulture), Shorten(r.Detail, 60),
        }));
        var widths = Enumerable.Range(0, Headers.Length).Select(c => lines.Max(l => l[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.AppendLine(string.Join("  ", line.Select((cell, c) => c == line.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
        }

        text.AppendLine();
        text.AppendLine($"times: from just before the revocation was sent to the first refusal (p50 after return: from the admin call returning); bound {DrillFormat.Duration(report.Bound)}");
        foreach (var note in report.Notes)
        {
            text.AppendLine($"note: {note}");
        }

        text.AppendLine(report.Verdict);
        return text.ToString();
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
}
