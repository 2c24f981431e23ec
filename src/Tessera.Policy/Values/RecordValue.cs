namespace Tessera.Policy.Values;

/// <summary>A Cedar record: string keys to values, equal to any record with the same keys and values.</summary>
internal sealed class RecordValue(IReadOnlyDictionary<string, Value> fields) : Value
{
    public static readonly RecordValue Empty = new(new Dictionary<string, Value>(StringComparer.Ordinal));

    public IReadOnlyDictionary<string, Value> Fields { get; } = fields;

    public override string TypeName => "record";

    public override bool Equals(Value? other)
    {
        if (other is not RecordValue r || r.Fields.Count != Fields.Count)
        {
            return false;
        }

        foreach (var (key, value) in Fields)
        {
            if (!r.Fields.TryGetValue(key, out var otherValue) || !value.Equals(otherValue))
            {
                return false;
            }
        }

        return true;
    }

    public override int GetHashCode()
    {
        var hash = 0x7ec;
        foreach (var (key, value) in Fields)
        {
            hash ^= HashCode.Combine(StringComparer.Ordinal.GetHashCode(key), value);
        }

        return hash;
    }

    public override string ToString() =>
        "{" + string.Join(", ", Fields.Select(f => $"{Internal.CedarStrings.Quote(f.Key)}: {f.Value}")) + "}";
}
