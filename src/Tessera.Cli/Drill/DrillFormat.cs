using System.Globalization;

namespace Tessera.Cli.Drill;

/// <summary>How the drill writes durations: milliseconds below 10 s, seconds with one decimal above; "-" for none.</summary>
internal static class DrillFormat
{
    public static string Duration(TimeSpan? time) => time switch
    {
        null => "-",
        { Ticks: > 0, TotalMilliseconds: var ms } when ms % 1000 == 0 => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0} s"),
        { TotalSeconds: < 10 } t => string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds:0} ms"),
        { } t => string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:0.0} s"),
    };
}
