using Tessera.Policy.Schema;

namespace Tessera.Policy.Validation;

/// <summary>The types of Cedar's extension functions: parameter types (receiver first for methods) and result type.</summary>
internal static class ExtensionSignatures
{
    private static readonly ExtensionType Ip = new("ipaddr", "ip");
    private static readonly ExtensionType Decimal = new("decimal", "decimal");
    private static readonly ExtensionType Datetime = new("datetime", "datetime");
    private static readonly ExtensionType Duration = new("duration", "duration");

    private static readonly Dictionary<string, (SchemaType[] Parameters, SchemaType Result)> Signatures = new(StringComparer.Ordinal)
    {
        ["ip"] = ([PrimitiveType.String], Ip),
        ["decimal"] = ([PrimitiveType.String], Decimal),
        ["datetime"] = ([PrimitiveType.String], Datetime),
        ["duration"] = ([PrimitiveType.String], Duration),
        ["isIpv4"] = ([Ip], PrimitiveType.Bool),
        ["isIpv6"] = ([Ip], PrimitiveType.Bool),
        ["isLoopback"] = ([Ip], PrimitiveType.Bool),
        ["isMulticast"] = ([Ip], PrimitiveType.Bool),
        ["isInRange"] = ([Ip, Ip], PrimitiveType.Bool),
        ["lessThan"] = ([Decimal, Decimal], PrimitiveType.Bool),
        ["lessThanOrEqual"] = ([Decimal, Decimal], PrimitiveType.Bool),
        ["greaterThan"] = ([Decimal, Decimal], PrimitiveType.Bool),
        ["greaterThanOrEqual"] = ([Decimal, Decimal], PrimitiveType.Bool),
        ["offset"] = ([Datetime, Duration], Datetime),
        ["durationSince"] = ([Datetime, Datetime], Duration),
        ["toDate"] = ([Datetime], Datetime),
        ["toTime"] = ([Datetime], Duration),
        ["toMilliseconds"] = ([Duration], PrimitiveType.Long),
        ["toSeconds"] = ([Duration], PrimitiveType.Long),
        ["toMinutes"] = ([Duration], PrimitiveType.Long),
        ["toHours"] = ([Duration], PrimitiveType.Long),
        ["toDays"] = ([Duration], PrimitiveType.Long),
    };

    /// <summary>What a constructor's argument failed to parse as, in the reference's words.</summary>
    public static string ParseFailure(string constructor) => constructor switch
    {
        "ip" => "IP address",
        "decimal" => "a decimal value",
        "datetime" => "a datetime value",
        _ => "a duration value",
    };

    public static bool TryGet(string name, out SchemaType[] parameters, out SchemaType result)
    {
        var found = Signatures.TryGetValue(name, out var signature);
        (parameters, result) = found ? signature : ([], PrimitiveType.Bool);
        return found;
    }
}
