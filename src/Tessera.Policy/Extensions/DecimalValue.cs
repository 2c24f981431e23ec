using System.Globalization;
using Tessera.Policy.Values;

namespace Tessera.Policy.Extensions;

/// <summary>
/// Cedar's <c>decimal</c> extension type: a fixed-point number with four digits after the point, stored as
/// a 64-bit count of ten-thousandths. Literals match <c>-?[0-9]+\.[0-9]{1,4}</c>; out-of-range is an error.
/// </summary>
internal sealed class DecimalValue(long scaled) : Value
{
    private const int Digits = 4;

    public long Scaled { get; } = scaled;

    public override string TypeName => "decimal";

    public static DecimalValue? TryParse(string text)
    {
        var negative = text.StartsWith('-');
        var body = negative ? text.AsSpan(1) : text.AsSpan();
        var dot = body.IndexOf('.');
        if (dot <= 0 || dot == body.Length - 1 || body.Length - dot - 1 > Digits)
        {
            return null;
        }

        long value = 0;
        try
        {
            foreach (var c in body)
            {
                if (c == '.')
                {
                    continue;
                }

                if (c is < '0' or > '9')
                {
                    return null;
                }

                // Accumulate with the sign applied so that the most negative value is representable.
                value = checked((value * 10) + (negative ? -(c - '0') : c - '0'));
            }

            for (var i = body.Length - dot - 1; i < Digits; i++)
            {
                value = checked(value * 10);
            }
        }
        catch (OverflowException)
        {
            return null;
        }

        return new DecimalValue(value);
    }

    public override bool Equals(Value? other) => other is DecimalValue d && d.Scaled == Scaled;

    public override int GetHashCode() => HashCode.Combine(TypeName, Scaled);

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"decimal(\"{Scaled / 10000m:0.0###}\")");
}
