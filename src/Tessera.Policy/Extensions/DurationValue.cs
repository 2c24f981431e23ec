using System.Globalization;
using Tessera.Policy.Values;

namespace Tessera.Policy.Extensions;

/// <summary>
/// Cedar's <c>duration</c> extension type: a signed number of milliseconds. Literals are like
/// <c>-1d2h3m4s5ms</c>: an optional minus, then at least one of the units d, h, m, s, ms in that order.
/// </summary>
internal sealed class DurationValue(long milliseconds) : Value
{
    public long Milliseconds { get; } = milliseconds;

    public override string TypeName => "duration";

    public static DurationValue? TryParse(string text)
    {
        var negative = text.StartsWith('-');
        var i = negative ? 1 : 0;
        if (i == text.Length)
        {
            return null;
        }

        long total = 0;
        var lastUnit = -1;
        try
        {
            while (i < text.Length)
            {
                var start = i;
                long amount = 0;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    amount = checked((amount * 10) + (negative ? -(text[i] - '0') : text[i] - '0'));
                    i++;
                }

                if (i == start || i == text.Length)
                {
                    return null;
                }

                var (unit, factor, length) = text[i] switch
                {
                    'd' => (0, 86_400_000L, 1),
                    'h' => (1, 3_600_000L, 1),
                    'm' when i + 1 < text.Length && text[i + 1] == 's' => (4, 1L, 2),
                    'm' => (2, 60_000L, 1),
                    's' => (3, 1_000L, 1),
                    _ => (-1, 0L, 0),
                };
                if (unit <= lastUnit)
                {
                    return null;
                }

                lastUnit = unit;
                i += length;
                total = checked(total + checked(amount * factor));
            }
        }
        catch (OverflowException)
        {
            return null;
        }

        return new DurationValue(total);
    }

    public override bool Equals(Value? other) => other is DurationValue d && d.Milliseconds == Milliseconds;

    public override int GetHashCode() => HashCode.Combine(TypeName, Milliseconds);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"duration(\"{Milliseconds}ms\")");
}
