using System.Globalization;

namespace Tessera.Hosting.Configuration;

/// <summary>Parses durations written the way operators write them: <c>90s</c>, <c>5m</c>, <c>1h</c>, <c>7d</c>.</summary>
internal static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan duration, out string? error)
    {
        duration = default;
        error = null;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2)
        {
            error = $"'{text}' is not a duration; write a number and a unit, e.g. 90s, 5m, 1h or 7d";
            return false;
        }

        if (!long.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            error = $"'{text}' is not a duration; write a positive whole number and a unit, e.g. 90s, 5m, 1h or 7d";
            return false;
        }

        TimeSpan? result = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(Math.Min(value, 10L * 365 * 86400)),
            'm' => TimeSpan.FromMinutes(Math.Min(value, 10L * 365 * 1440)),
            'h' => TimeSpan.FromHours(Math.Min(value, 10L * 365 * 24)),
            'd' => TimeSpan.FromDays(Math.Min(value, 10L * 365)),
            _ => null,
        };
        if (result is null)
        {
            error = $"'{text}' has an unknown unit '{text[^1]}'; use s, m, h or d";
            return false;
        }

        duration = result.Value;
        return true;
    }
}
