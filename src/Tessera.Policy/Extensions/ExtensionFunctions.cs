using Tessera.Policy.Evaluation;
using Tessera.Policy.Values;

namespace Tessera.Policy.Extensions;

/// <summary>
/// The functions of Cedar's extension types: the constructors <c>ip</c>, <c>decimal</c>, <c>datetime</c>
/// and <c>duration</c> (function style) and their methods (method style, receiver first). The same table
/// serves the parser (name and arity checks) and the JSON <c>__extn</c> escape.
/// </summary>
internal static class ExtensionFunctions
{
    private static readonly Dictionary<string, int> Constructors = new(StringComparer.Ordinal)
    {
        ["ip"] = 1,
        ["decimal"] = 1,
        ["datetime"] = 1,
        ["duration"] = 1,
    };

    // Arity includes the receiver.
    private static readonly Dictionary<string, int> Methods = new(StringComparer.Ordinal)
    {
        ["isIpv4"] = 1,
        ["isIpv6"] = 1,
        ["isLoopback"] = 1,
        ["isMulticast"] = 1,
        ["isInRange"] = 2,
        ["lessThan"] = 2,
        ["lessThanOrEqual"] = 2,
        ["greaterThan"] = 2,
        ["greaterThanOrEqual"] = 2,
        ["offset"] = 2,
        ["durationSince"] = 2,
        ["toDate"] = 1,
        ["toTime"] = 1,
        ["toMilliseconds"] = 1,
        ["toSeconds"] = 1,
        ["toMinutes"] = 1,
        ["toHours"] = 1,
        ["toDays"] = 1,
    };

    public static bool IsConstructor(string name, out int arity) => Constructors.TryGetValue(name, out arity);

    public static bool IsMethod(string name, out int arity) => Methods.TryGetValue(name, out arity);

    /// <summary>Applies a function or method by name (receiver first for methods).</summary>
    public static Value Call(string name, IReadOnlyList<Value> args)
    {
        var expected = Constructors.TryGetValue(name, out var a) ? a : Methods.TryGetValue(name, out a) ? a : -1;
        if (expected < 0)
        {
            throw new EvaluationException($"unknown extension function `{name}`");
        }

        if (args.Count != expected)
        {
            throw new EvaluationException($"`{name}` takes {expected} argument(s), got {args.Count}");
        }

        return name switch
        {
            "ip" => IpValue.TryParse(Str(args[0])) ?? throw Bad("ip", args[0]),
            "decimal" => DecimalValue.TryParse(Str(args[0])) ?? throw Bad("decimal", args[0]),
            "datetime" => DatetimeValue.TryParse(Str(args[0])) ?? throw Bad("datetime", args[0]),
            "duration" => DurationValue.TryParse(Str(args[0])) ?? throw Bad("duration", args[0]),
            "isIpv4" => BoolValue.Of(Ip(args[0]).IsV4),
            "isIpv6" => BoolValue.Of(!Ip(args[0]).IsV4),
            "isLoopback" => BoolValue.Of(Ip(args[0]).IsLoopback),
            "isMulticast" => BoolValue.Of(Ip(args[0]).IsMulticast),
            "isInRange" => BoolValue.Of(Ip(args[0]).IsInRange(Ip(args[1]))),
            "lessThan" => BoolValue.Of(Dec(args[0]) < Dec(args[1])),
            "lessThanOrEqual" => BoolValue.Of(Dec(args[0]) <= Dec(args[1])),
            "greaterThan" => BoolValue.Of(Dec(args[0]) > Dec(args[1])),
            "greaterThanOrEqual" => BoolValue.Of(Dec(args[0]) >= Dec(args[1])),
            "offset" => new DatetimeValue(Checked(() => checked(Dt(args[0]) + Dur(args[1])), "offset")),
            "durationSince" => new DurationValue(Checked(() => checked(Dt(args[0]) - Dt(args[1])), "durationSince")),
            "toDate" => new DatetimeValue(Checked(() => checked(Dt(args[0]) - FloorMod(Dt(args[0]))), "toDate")),
            "toTime" => new DurationValue(FloorMod(Dt(args[0]))),
            "toMilliseconds" => new LongValue(Dur(args[0])),
            "toSeconds" => new LongValue(Dur(args[0]) / 1000),
            "toMinutes" => new LongValue(Dur(args[0]) / 60_000),
            "toHours" => new LongValue(Dur(args[0]) / 3_600_000),
            "toDays" => new LongValue(Dur(args[0]) / DatetimeValue.MillisecondsPerDay),
            _ => throw new EvaluationException($"unknown extension function `{name}`"),
        };
    }

    private static long FloorMod(long ms)
    {
        var r = ms % DatetimeValue.MillisecondsPerDay;
        return r < 0 ? r + DatetimeValue.MillisecondsPerDay : r;
    }

    private static long Checked(Func<long> compute, string name)
    {
        try
        {
            return compute();
        }
        catch (OverflowException)
        {
            throw new EvaluationException($"overflow in `{name}`");
        }
    }

    private static EvaluationException Bad(string type, Value arg) =>
        new($"invalid {type} literal {arg}");

    private static string Str(Value v) => v is StringValue s ? s.Value : throw EvaluationException.TypeError("string", v);

    private static IpValue Ip(Value v) => v as IpValue ?? throw EvaluationException.TypeError("ipaddr", v);

    private static long Dec(Value v) => v is DecimalValue d ? d.Scaled : throw EvaluationException.TypeError("decimal", v);

    private static long Dt(Value v) => v is DatetimeValue d ? d.Milliseconds : throw EvaluationException.TypeError("datetime", v);

    private static long Dur(Value v) => v is DurationValue d ? d.Milliseconds : throw EvaluationException.TypeError("duration", v);
}
