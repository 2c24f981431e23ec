namespace Tessera.Policy.Values;

/// <summary>
/// A Cedar value: bool, long, string, entity reference, set, record or extension value. Values are
/// immutable; equality is Cedar's structural equality (sets compare as sets, records by key and value).
/// </summary>
internal abstract class Value : IEquatable<Value>
{
    /// <summary>The Cedar name of this value's type, used in error messages ("long", "set", "ipaddr", …).</summary>
    public abstract string TypeName { get; }

    public abstract bool Equals(Value? other);

    public sealed override bool Equals(object? obj) => obj is Value v && Equals(v);

    public abstract override int GetHashCode();
}
