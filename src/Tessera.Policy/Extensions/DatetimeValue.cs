using System.Globalization;
using Tessera.Policy.Values;

namespace Tessera.Policy.Extensions;

/// <summary>
/// Cedar's <c>datetime</c> extension type: an instant as signed milliseconds since the Unix epoch (UTC).
/// Accepted literals: <c>YYYY-MM-DD</c>, <c>YYYY-MM-DDThh:mm:ssZ</c>, <c>YYYY-MM-DDThh:mm:ss.SSSZ</c>,
/// <c>YYYY-MM-DDThh:mm:ss±hhmm</c> and <c>YYYY-MM-DDThh:mm:ss.SSS±hhmm</c>.
/// </summary>
internal sealed class DatetimeValue(long milliseconds) : Value
{
    public const long MillisecondsPerDay = 86_400_000;

    public long Milliseconds { get; } = milliseconds;

    public override string TypeName => "datetime";

    public static DatetimeValue? TryParse(string s)
    {
        if (s.Length < 10 || !Digits(s, 0, 4, out var year) || s[4] != '-' || !Digits(s, 5, 2, out var month)
            || s[7] != '-' || !Digits(s, 8, 2, out var day))
        {
            return null;
        }

        if (month is < 1 or > 12 || day < 1 || day > DaysInMonth(year, month))
        {
            return null;
        }

        var days = DaysFromCivil(year, month, day);
        if (s.Length == 10)
        {
            return new DatetimeValue(days * MillisecondsPerDay);
        }

        if (s.Length < 20 || s[10] != 'T' || !Digits(s, 11, 2, out var hour) || s[13] != ':'
            || !Digits(s, 14, 2, out var minute) || s[16] != ':' || !Digits(s, 17, 2, out var second)
            || hour > 23 || minute > 59 || second > 59)
        {
            return null;
        }

        var i = 19;
        long millis = 0;
        if (s[i] == '.')
        {
            if (!Digits(s, i + 1, 3, out millis))
            {
                return null;
            }

            i += 4;
        }

        long offset = 0;
        if (i == s.Length - 1 && s[i] == 'Z')
        {
            // UTC.
        }
        else if (i == s.Length - 5 && s[i] is '+' or '-' && Digits(s, i + 1, 2, out var oh) && Digits(s, i + 3, 2, out var om)
            && oh < 24 && om < 60)
        {
            offset = ((oh * 60) + om) * 60_000 * (s[i] == '-' ? -1 : 1);
        }
        else
        {
            return null;
        }

        var local = (days * MillisecondsPerDay) + (((hour * 3600) + (minute * 60) + second) * 1000) + millis;
        return new DatetimeValue(local - offset);
    }

    public override bool Equals(Value? other) => other is DatetimeValue d && d.Milliseconds == Milliseconds;

    public override int GetHashCode() => HashCode.Combine(TypeName, Milliseconds);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"datetime({Milliseconds}ms)");

    private static bool Digits(string s, int start, int count, out long value)
    {
        value = 0;
        if (start + count > s.Length)
        {
            return false;
        }

        for (var i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }

            value = (value * 10) + (s[i] - '0');
        }

        return true;
    }

    private static long DaysInMonth(long year, long month)
    {
        var leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        return month == 2 ? (leap ? 29 : 28) : month is 4 or 6 or 9 or 11 ? 30 : 31;
    }

    // Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
    private static long DaysFromCivil(long y, long m, long d)
    {
        y -= m <= 2 ? 1 : 0;
        var era = (y >= 0 ? y : y - 399) / 400;
        var yoe = y - (era * 400);
        var doy = ((153 * (m + (m > 2 ? -3 : 9))) + 2) / 5 + d - 1;
        var doe = (yoe * 365) + (yoe / 4) - (yoe / 100) + doy;
        return (era * 146097) + doe - 719468;
    }
}
