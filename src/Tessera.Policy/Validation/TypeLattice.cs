using Tessera.Policy.Schema;

namespace Tessera.Policy.Validation;

/// <summary>
/// Least upper bounds in strict mode: booleans join to <c>Bool</c>, sets join element-wise, records only
/// when they have the same attributes with the same optionality, and every other pair only when equal —
/// so two different entity types have no bound (strict mode has no entity unions).
/// </summary>
internal static class TypeLattice
{
    public static SchemaType? Lub(SchemaType a, SchemaType b)
    {
        switch (a, b)
        {
            case (_, _) when IsBool(a) && IsBool(b):
                return a == b ? a : PrimitiveType.Bool;
            case (SetType sa, SetType sb):
                return Lub(sa.Element, sb.Element) is { } element ? new SetType(element) : null;
            case (RecordType ra, RecordType rb):
                if (ra.Attributes.Count != rb.Attributes.Count)
                {
                    return null;
                }

                var attributes = new Dictionary<string, AttributeType>(StringComparer.Ordinal);
                foreach (var (name, left) in ra.Attributes)
                {
                    if (!rb.Attributes.TryGetValue(name, out var right) || left.Required != right.Required || Lub(left.Type, right.Type) is not { } joined)
                    {
                        return null;
                    }

                    attributes[name] = new AttributeType(joined, left.Required);
                }

                return new RecordType(attributes);
            default:
                return a == b ? a : null;
        }
    }

    public static bool IsBool(SchemaType type) => type is BoolLiteralType || type == PrimitiveType.Bool;

    public static bool IsLong(SchemaType type) => type == PrimitiveType.Long;

    public static bool IsString(SchemaType type) => type == PrimitiveType.String;

    public static bool IsExtension(SchemaType type, string name) => type is ExtensionType e && e.Name == name;
}
