namespace Tessera.Policy.Values;

/// <summary>A Cedar set: unordered, duplicates removed, equal to any set with the same elements.</summary>
internal sealed class SetValue : Value
{
    public static readonly SetValue Empty = new([]);

    private readonly HashSet<Value> _items;

    public SetValue(IEnumerable<Value> items) => _items = [.. items];

    public IReadOnlyCollection<Value> Items => _items;

    public int Count => _items.Count;

    public override string TypeName => "set";

    public bool Contains(Value value) => _items.Contains(value);

    public bool ContainsAll(SetValue other) => _items.IsSupersetOf(other._items);

    public bool ContainsAny(SetValue other) => _items.Overlaps(other._items);

    public override bool Equals(Value? other) => other is SetValue s && s._items.SetEquals(_items);

    // Order-independent: XOR of element hashes.
    public override int GetHashCode()
    {
        var hash = 0x5e7;
        foreach (var item in _items)
        {
            hash ^= item.GetHashCode();
        }

        return hash;
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}
