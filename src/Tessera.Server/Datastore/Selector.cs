namespace Tessera.Server.Datastore;

/// <summary>A selector as stored: a type (no colon, e.g. <c>unix</c>) and a value (e.g. <c>uid:1001</c>).</summary>
internal sealed record Selector
{
    public Selector(string type, string value)
    {
        // The type cannot hold ':' because "type:value" is the canonical form used for uniqueness and matching.
        if (string.IsNullOrEmpty(type) || type.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"selector type '{type}' must be non-empty and contain no ':'", nameof(type));
        }

        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"selector '{type}:' has an empty value", nameof(value));
        }

        Type = type;
        Value = value;
    }

    public string Type { get; }

    public string Value { get; }

    /// <summary>The canonical <c>type:value</c> form.</summary>
    public override string ToString() => $"{Type}:{Value}";
}
