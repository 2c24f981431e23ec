using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tessera.Server.Datastore.Internal;

/// <summary>Canonical form of a selector set: distinct <c>type:value</c> strings in ordinal order.</summary>
internal static class SelectorSet
{
    public static List<string> Canonical(IEnumerable<Selector> selectors) =>
        selectors.Select(s => s.ToString()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// SHA-256 (hex) of the canonical set, one selector per line. A hash keeps the unique index small
    /// (PostgreSQL caps index rows near 2.7 kB); each selector is length-prefixed so no two sets
    /// serialise to the same text.
    /// </summary>
    public static string Hash(IReadOnlyList<string> canonical)
    {
        var builder = new StringBuilder();
        foreach (var selector in canonical)
        {
            builder.Append(selector.Length).Append(':').Append(selector).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    public static string ToJson(IReadOnlyList<string> canonical) => JsonSerializer.Serialize(canonical);

    public static IReadOnlyList<Selector> FromJson(string json) =>
        (JsonSerializer.Deserialize<List<string>>(json) ?? []).Select(Parse).ToList();

    private static Selector Parse(string canonical)
    {
        var colon = canonical.IndexOf(':', StringComparison.Ordinal);
        return new Selector(canonical[..colon], canonical[(colon + 1)..]);
    }
}
