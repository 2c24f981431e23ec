namespace Tessera.Policy.Schema;

/// <summary>A record type: attribute names to their types and whether each is required. Equality is structural.</summary>
internal sealed record RecordType(IReadOnlyDictionary<string, AttributeType> Attributes) : SchemaType
{
    public static readonly RecordType Empty = new(new Dictionary<string, AttributeType>(StringComparer.Ordinal));

    public bool Equals(RecordType? other) =>
        other is not null
        && other.Attributes.Count == Attributes.Count
        && Attributes.All(a => other.Attributes.TryGetValue(a.Key, out var o) && o == a.Value);

    public override int GetHashCode() => Attributes.Count;

    public override string ToString() =>
        "{" + string.Join(", ", Attributes.OrderBy(a => a.Key, StringComparer.Ordinal)
            .Select(a => $"{Internal.CedarStrings.Quote(a.Key)}{(a.Value.Required ? string.Empty : "?")}: {a.Value.Type}")) + "}";
}
