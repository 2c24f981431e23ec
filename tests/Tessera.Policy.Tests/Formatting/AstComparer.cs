using System.Collections;
using System.Reflection;

namespace Tessera.Policy.Tests.Formatting;

/// <summary>
/// Structural equality of parsed policies. The AST records hold lists, whose record equality is by reference,
/// so this walks public properties and sequences instead; it returns the path of the first difference.
/// </summary>
internal static class AstComparer
{
    public static string? FirstDifference(object? expected, object? actual, string path = "policy")
    {
        if (expected is null || actual is null)
        {
            return expected is null && actual is null ? null : $"{path}: {expected ?? "null"} vs {actual ?? "null"}";
        }

        var type = expected.GetType();
        if (type != actual.GetType())
        {
            return $"{path}: {type.Name} vs {actual.GetType().Name}";
        }

        if (type.IsPrimitive || type.IsEnum || expected is string || type.Namespace == "Tessera.Policy.Values" || type.Namespace == "Tessera.Policy.Entities")
        {
            return Equals(expected, actual) ? null : $"{path}: {expected} vs {actual}";
        }

        if (expected is IEnumerable sequence)
        {
            var left = sequence.Cast<object?>().ToList();
            var right = ((IEnumerable)actual).Cast<object?>().ToList();
            if (left.Count != right.Count)
            {
                return $"{path}: {left.Count} items vs {right.Count}";
            }

            return left.Zip(right).Select((pair, i) => FirstDifference(pair.First, pair.Second, $"{path}[{i}]")).FirstOrDefault(d => d is not null);
        }

        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            if (FirstDifference(property.GetValue(expected), property.GetValue(actual), $"{path}.{property.Name}") is { } difference)
            {
                return difference;
            }
        }

        return null;
    }
}
