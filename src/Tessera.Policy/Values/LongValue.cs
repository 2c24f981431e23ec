using System.Globalization;

namespace Tessera.Policy.Values;

/// <summary>A Cedar 64-bit signed integer. Arithmetic on it is checked: overflow is an evaluation error.</summary>
internal sealed class LongValue(long value) : Value
{
    public long Value { get; } = value;

    public override string TypeName => "long";

    public override bool Equals(Value? other) => other is LongValue l && l.Value == Value;

    public override int GetHashCode() => Value.GetHashCode();

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
