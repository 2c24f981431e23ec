using System.Text;
using System.Text.Json;

namespace Tessera.Cli.Drill;

/// <summary>Writes the drill's report as one JSON document (<c>--json</c>): rows, every sample, notes and the verdict; times in milliseconds.</summary>
internal static class DrillJson
{
    public static string Render(DrillReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("run", report.RunId);
            json.WriteBoolean("passed", report.Passed);
            json.WriteString("verdict", report.Verdict);
            json.WriteNumber("bound_ms", report.Bound.TotalMilliseconds);
            json.WriteNumber("rounds", report.Rounds);
            json.WriteStartArray("rows");
            foreach (var row in report.Rows)
            {
                json.WriteStartObject();
                json.WriteString("kind", row.Kind);
                json.WriteString("point", row.Point);
                json.WriteNumber("rounds", row.Rounds);
                Milliseconds(json, "p50_ms", row.P50);
                Milliseconds(json, "max_ms", row.Max);
                Milliseconds(json, "p50_after_return_ms", row.P50SinceReturned);
                json.WriteNumber("over_bound", row.OverBound);
                json.WriteNumber("still_accepted", row.StillAccepted);
                json.WriteString("detail", row.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("samples");
            foreach (var sample in report.Samples)
            {
                json.WriteStartObject();
                json.WriteString("kind", sample.Kind);
                json.WriteString("point", sample.Point);
                json.WriteNumber("round", sample.Round);
                Milliseconds(json, "since_sent_ms", sample.SinceSent);
                Milliseconds(json, "since_returned_ms", sample.SinceReturned);
                json.WriteString("detail", sample.Detail);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("notes");
            foreach (var note in report.Notes)
            {
                json.WriteStringValue(note);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Milliseconds(Utf8JsonWriter json, string name, TimeSpan? time)
    {
        if (time is { } t)
        {
            json.WriteNumber(name, Math.Round(t.TotalMilliseconds, 1));
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
