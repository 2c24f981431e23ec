namespace Tessera.Policy.Entities;

/// <summary>
/// Validity of entity type names as the reference checks them in JSON: one or more identifiers
/// (<c>[_a-zA-Z][_a-zA-Z0-9]*</c>) joined by <c>::</c>, none reserved, and not in the <c>__cedar</c> namespace.
/// </summary>
internal static class EntityTypeNames
{
    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "if", "then", "else", "in", "is", "has", "like",
    };

    public static bool IsValid(string name)
    {
        var parts = name.Split("::");
        return parts[0] != "__cedar" && parts.All(IsIdentifier);
    }

    private static bool IsIdentifier(string part) =>
        part.Length > 0
        && (char.IsAsciiLetter(part[0]) || part[0] == '_')
        && part.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
        && !Reserved.Contains(part);
}
