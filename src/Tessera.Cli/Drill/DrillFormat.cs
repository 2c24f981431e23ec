using System.Globalization;

namespace Tessera.Cli.Drill;

/// <summary>How the drill writes durations: milliseconds below 10 s, seconds with one decimal above; "-" for none.</summary>
internal static class DrillFormat
{
    public static string Duration(TimeSpan? time) => time switch
    {
        null => "-",
        { TotalSeconds: < 10 } t => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms"),
        { } t => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s"),
    };
}
