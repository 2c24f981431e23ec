using Tessera.Policy.Extensions;
using Tessera.Policy.Schema;
using Tessera.Policy.Values;

namespace Tessera.Policy.Validation;

/// <summary>
/// Whether a value has a schema type, as the reference checks request contexts and entity data: primitives
/// and extension values by kind, entity references by type (and declared id, for enumerated types), sets
/// element by element, records with every required attribute present and no undeclared one.
/// </summary>
internal static class ValueConformance
{
    /// <summary>Returns null when <paramref name="value"/> conforms to <paramref name="type"/>, else what is wrong at <paramref name="path"/>.</summary>
    public static string? Check(Value value, SchemaType type, string path, CedarSchema schema)
    {
        switch (type, value)
        {
            case (PrimitiveType { Name: "Bool" }, BoolValue):
            case (PrimitiveType { Name: "Long" }, LongValue):
            case (PrimitiveType { Name: "String" }, StringValue):
            case (ExtensionType { Name: "ipaddr" }, IpValue):
            case (ExtensionType { Name: "decimal" }, DecimalValue):
            case (ExtensionType { Name: "datetime" }, DatetimeValue):
            case (ExtensionType { Name: "duration" }, DurationValue):
                return null;
            case (EntityType entity, EntityValue reference) when reference.Uid.Type == entity.Name:
                return CheckEnum(reference, schema);
            case (SetType set, SetValue items):
                return items.Items.Select(item => Check(item, set.Element, $"{path} element", schema)).FirstOrDefault(p => p is not null);
            case (RecordType record, RecordValue fields):
                return CheckRecord(fields, record, path, schema);
            default:
                return $"{path} should have type {type}, found {Describe(value)}";
        }
    }

    public static string? CheckRecord(RecordValue fields, RecordType record, string path, CedarSchema schema)
    {
        foreach (var (name, attribute) in record.Attributes)
        {
            if (fields.Fields.TryGetValue(name, out var field))
            {
                if (Check(field, attribute.Type, $"{path}.{name}", schema) is { } problem)
                {
                    return problem;
                }
            }
            else if (attribute.Required)
            {
                return $"{path} is missing the required attribute `{name}`";
            }
        }

        var extra = fields.Fields.Keys.FirstOrDefault(k => !record.Attributes.ContainsKey(k));
        return extra is null ? null : $"{path} has the attribute `{extra}`, which the schema does not declare";
    }

    /// <summary>Null when the entity's type is not enumerated or the id is one of its declared ids.</summary>
    public static string? CheckEnum(EntityValue reference, CedarSchema schema) =>
        schema.EntityTypes.TryGetValue(reference.Uid.Type, out var definition) && definition.EnumIds is { } ids && !ids.Contains(reference.Uid.Id)
            ? $"entity `{reference.Uid}` is of an enumerated entity type, but `{Internal.CedarStrings.Quote(reference.Uid.Id)}` is not declared as a valid eid"
            : null;

    private static string Describe(Value value) => value switch
    {
        EntityValue e => $"an entity of type {e.Uid.Type}",
        _ => value.TypeName,
    };
}
