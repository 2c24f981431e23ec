using System.Text;

namespace Tessera.Policy.Tests.Differential;

/// <summary>
/// Generates random but mostly well-formed Cedar inputs for differential testing: entity graphs (with
/// cycles, tags and extension values), policies mixing every operator family (including ones that
/// overflow or err), and requests that name existing and missing entities.
/// </summary>
internal sealed partial class RandomCedar(int seed)
{
    private static readonly string[] Types = ["User", "Group", "Photo"];
    private static readonly string[] Ids = ["a", "b", "c", ""];
    private static readonly string[] Actions = ["view", "edit", "all"];

    private readonly Random _random = new(seed);

    public string Entities()
    {
        var entities = new List<string>();
        foreach (var type in Types)
        {
            foreach (var id in Ids.Where(_ => _random.Next(4) != 0))
            {
                // Parents mostly rank above the child (acyclic); now and then anywhere, so cycles get tested too.
                var rank = Rank((type, id));
                var parents = Enumerable.Range(0, _random.Next(3)).Select(_ => RandomUid())
                    .Where(p => Rank(p) > rank || _random.Next(20) == 0).Select(Uid).Distinct();
                var attrs = Enumerable.Range(0, _random.Next(6)).Select(_ => Attribute()).DistinctBy(a => a.Key);
                var tags = _random.Next(3) == 0 ? """, "tags": {"t": "v", "n": 3}""" : string.Empty;
                entities.Add($$"""{"uid": {{Uid((type, id))}}, "parents": [{{string.Join(", ", parents)}}], "attrs": {{{string.Join(", ", attrs.Select(a => $"\"{a.Key}\": {a.Value}"))}}}{{tags}}}""");
            }
        }

        entities.Add("""{"uid": {"type": "Action", "id": "view"}, "parents": [{"type": "Action", "id": "all"}], "attrs": {}}""");
        entities.Add("""{"uid": {"type": "Action", "id": "edit"}, "parents": [{"type": "Action", "id": "all"}], "attrs": {}}""");
        entities.Add("""{"uid": {"type": "Action", "id": "all"}, "parents": [], "attrs": {}}""");
        return "[" + string.Join(",\n", entities) + "]";
    }

    public string Policies()
    {
        var builder = new StringBuilder();
        var count = _random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            builder.Append(_random.Next(3) == 0 ? "forbid" : "permit")
                .Append("(principal").Append(Scope()).Append(", action").Append(ActionScope()).Append(", resource").Append(Scope()).Append(')');
            for (var c = _random.Next(3); c > 0; c--)
            {
                builder.Append(_random.Next(3) == 0 ? " unless { " : " when { ").Append(Bool(3)).Append(" }");
            }

            builder.Append(";\n");
        }

        return builder.ToString();
    }

    /// <summary>A template with <c>?principal</c> and/or <c>?resource</c> slots and a condition.</summary>
    public string Template()
    {
        var principal = _random.Next(4) switch { 0 => " == ?principal", 1 => " in ?principal", _ => string.Empty };
        var resource = _random.Next(4) switch { 0 => " == ?resource", 1 => $" is {Pick(Types)} in ?resource", _ => " in ?resource" };
        var condition = _random.Next(2) == 0 ? string.Empty : $" when {{ {Bool(2)} }}";
        return $"{(_random.Next(3) == 0 ? "forbid" : "permit")}(principal{principal}, action, resource{resource}){condition};";
    }

    /// <summary>A random entity for a template slot, as a JSON entity reference.</summary>
    public (string Type, string Id) SlotValue() => RandomUid();

    /// <summary>A generated policy set with a few random character edits, to compare what each parser accepts.</summary>
    public string MutatedPolicies()
    {
        const string alphabet = "()[]{},;:.@!-+*<>=&|\"\\?_ ax0Z9\n/%";
        var text = new StringBuilder(Policies());
        for (var e = _random.Next(1, 3); e > 0 && text.Length > 0; e--)
        {
            var at = _random.Next(text.Length);
            switch (_random.Next(3))
            {
                case 0: text.Remove(at, 1); break;
                case 1: text.Insert(at, alphabet[_random.Next(alphabet.Length)]); break;
                default: text[at] = alphabet[_random.Next(alphabet.Length)]; break;
            }
        }

        return text.ToString();
    }

    public string Request()
    {
        var context = _random.Next(2) == 0
            ? """{"x": "s", "n": 5, "ip": {"__extn": {"fn": "ip", "arg": "10.1.2.3"}}}"""
            : """{"x": 1}""";
        return $$"""{"principal": {{Uid(RandomUid())}}, "action": {"type": "Action", "id": "{{Actions[_random.Next(Actions.Length)]}}"}, "resource": {{Uid(RandomUid())}}, "context": {{context}}}""";
    }

    // Extension constructors and `like` over random near-valid literals: their parsers must agree exactly.
    private string Literals() => _random.Next(6) switch
    {
        0 => $"ip(\"{Mutate(Pick("10.0.0.1", "192.168.1.0/24", "::1", "fe80::1/64", "1:2:3:4:5:6:7:8", "255.255.255.255/32", "::ffff:a00:1", "0.0.0.0/0"), "0123456789abcdef.:/")}\").{Pick("isIpv4()", "isLoopback()", "isMulticast()", "isInRange(ip(\"10.0.0.0/8\"))")}",
        1 => $"decimal(\"{Mutate(Pick("1.0", "-0.5", "922337203685477.5807", "-922337203685477.5808", "12.3456"), "0123456789.-")}\").lessThan(decimal(\"1.0\"))",
        2 => $"datetime(\"{Mutate(Pick("2024-01-01", "2024-02-29T23:59:59Z", "1999-12-31T00:00:00.123+2359", "0001-01-01T00:00:00-0100"), "0123456789-:TZ.+")}\") > datetime(\"1970-01-01\")",
        3 => $"duration(\"{Mutate(Pick("1d2h3m4s5ms", "-1ms", "9223372036854775807ms", "-9223372036854775808ms", "106751991167d"), "0123456789dhms-")}\").toMilliseconds() > 0",
        4 => $"\"{Mutate(Pick("abc", "a*c", "", "x\\ny"), "ab*\\n")}\" like \"{Mutate(Pick("*", "a*", "*c", "a\\*c", "**"), "ab*\\")}\"",
        _ => $"{Pick("{a: 1, \"b c\": [1, 2]}", "{}", "{if: 1}", "[1, [2], {x: 3}]")} {Pick("has a", "has \"b c\"", "== {}", "!= [1]")}",
    };

    private string Mutate(string text, string alphabet)
    {
        var builder = new StringBuilder(text);
        for (var e = _random.Next(3); e > 0; e--)
        {
            var at = builder.Length == 0 ? 0 : _random.Next(builder.Length);
            switch (_random.Next(3))
            {
                case 0 when builder.Length > 0: builder.Remove(at, 1); break;
                case 1: builder.Insert(at, alphabet[_random.Next(alphabet.Length)]); break;
                default:
                    if (builder.Length > 0)
                    {
                        builder[at] = alphabet[_random.Next(alphabet.Length)];
                    }

                    break;
            }
        }

        return builder.ToString();
    }

    private KeyValuePair<string, string> Attribute() => _random.Next(11) switch
    {
        // JSON numbers stay within 2^53: the Node driver would round larger ones. Overflow comes from policy literals.
        0 => new("n", Pick("0", "1", "-7", "9007199254740991", "-9007199254740991")),
        1 => new("s", Pick("\"a\"", "\"ab*c\"", "\"\"", "\"b\"")),
        2 => new("b", Pick("true", "false")),
        3 => new("set", Pick("[1, 2]", "[]", "[\"a\", 1]", $"[{EntityJson(RandomUid())}]")),
        4 => new("rec", Pick("{\"x\": 1}", "{}", "{\"x\": {\"y\": true}}")),
        5 => new("ref", EntityJson(RandomUid())),
        6 => new("ip", Extn("ip", Pick("10.0.0.1", "192.168.0.0/16", "::1", "127.0.0.1/8", "ff00::/8"))),
        7 => new("dec", Extn("decimal", Pick("1.5", "-0.0001", "922337203685477.5807"))),
        8 => new("dt", Extn("datetime", Pick("2024-01-01", "1969-12-31T23:59:59.999Z", "2024-02-29T12:00:00+0130"))),
        9 => new("dur", Extn("duration", Pick("1d", "-2h30m", "0ms", "9223372036854775807ms"))),
        _ => new("n", "3"),
    };

    private string Bool(int depth)
    {
        if (depth == 0 || _random.Next(3) == 0)
        {
            return Atom();
        }

        return _random.Next(5) switch
        {
            0 => $"({Bool(depth - 1)} && {Bool(depth - 1)})",
            1 => $"({Bool(depth - 1)} || {Bool(depth - 1)})",
            2 => $"!({Bool(depth - 1)})",
            3 => $"(if {Bool(depth - 1)} then {Bool(depth - 1)} else {Bool(depth - 1)})",
            _ => $"({Value()} {Pick("==", "!=", "<", "<=", ">", ">=")} {Value()})",
        };
    }

    private string Atom() => _random.Next(24) switch
    {
        0 => $"{Var()}.b",
        1 => $"{Var()} has {Pick("n", "s", "b", "set", "rec", "ref")}",
        2 => $"{Var()} in {Pick("principal", "resource", Entity(RandomUid()), $"[{Entity(RandomUid())}, {Entity(RandomUid())}]", "principal.ref", "1")}",
        3 => $"{Var()}.set.contains({Value()})",
        4 => $"{Var()}.set.{Pick("containsAll", "containsAny")}({Pick("[1]", "[]", "principal.set", "[\"a\", 1]")})",
        5 => $"{Var()}.s like \"{Pick("*", "a*", "*b\\*c", "ab*c", "")}\"",
        6 => $"{Var()}.ip.{Pick("isIpv4()", "isIpv6()", "isLoopback()", "isMulticast()", "isInRange(ip(\"10.0.0.0/8\"))", "isInRange(context.ip)")}",
        7 => $"{Var()}.dec.{Pick("lessThan", "greaterThanOrEqual")}(decimal(\"{Pick("1.5", "0.0", "-1.0")}\"))",
        8 => $"{Var()}.dt {Pick("<", ">=", "==")} datetime(\"{Pick("2024-01-01", "1970-01-01T00:00:00Z")}\")",
        9 => $"{Var()}.dur.{Pick("toDays()", "toHours()", "toMilliseconds()")} > {Pick("0", "-1", "24")}",
        10 => $"{Var()}.dt.offset({Var()}.dur) > datetime(\"2000-01-01\")",
        11 => $"{Var()}.hasTag(\"{Pick("t", "n", "x")}\")",
        12 => $"{Var()}.getTag(\"{Pick("t", "n")}\") == \"v\"",
        13 => $"{Var()} is {Pick("User", "Group", "Photo")}",
        14 => $"{Var()} is {Pick("User", "Group")} in {Entity(RandomUid())}",
        15 => $"{Var()}.rec.x == 1",
        16 => $"{Var()}.rec has x.y",
        17 => $"context.x == {Pick("\"s\"", "1")}",
        18 => $"context.n + {Var()}.n > 0",
        19 => $"{Var()}.n * {Pick("2", "-1", "9223372036854775807")} < 0",
        20 => $"-{Var()}.n < 0",
        21 => Literals(),
        _ => Pick("true", "false", "action in Action::\"all\"", "action == Action::\"view\"", "[1, 2].isEmpty()"),
    };

    private string Value() => _random.Next(8) switch
    {
        0 => $"{Var()}.n",
        1 => $"{Var()}.s",
        2 => $"{Var()}.ref",
        3 => Pick("1", "-1", "\"a\"", "true"),
        4 => Entity(RandomUid()),
        5 => Var(),
        6 => $"{Var()}.set",
        _ => $"({Var()}.n + {Pick("1", "9223372036854775807")})",
    };

    private string Scope() => _random.Next(5) switch
    {
        0 => $" == {Entity(RandomUid())}",
        1 => $" in {Entity(RandomUid())}",
        2 => $" is {Pick(Types)}",
        3 => $" is {Pick(Types)} in {Entity(RandomUid())}",
        _ => string.Empty,
    };

    private string ActionScope() => _random.Next(4) switch
    {
        0 => $" == Action::\"{Pick(Actions)}\"",
        1 => $" in Action::\"{Pick(Actions)}\"",
        2 => $" in [Action::\"{Pick(Actions)}\", Action::\"{Pick(Actions)}\"]",
        _ => string.Empty,
    };

    private static int Rank((string Type, string Id) uid) => (Array.IndexOf(Types, uid.Type) * Ids.Length) + Array.IndexOf(Ids, uid.Id);

    private string Var() => Pick("principal", "resource", "principal.ref", "resource.ref");

    private (string Type, string Id) RandomUid() => (Types[_random.Next(Types.Length)], Ids[_random.Next(Ids.Length)]);

    private static string Uid((string Type, string Id) uid) => $$"""{"type": "{{uid.Type}}", "id": "{{uid.Id}}"}""";

    private static string Entity((string Type, string Id) uid) => $"{uid.Type}::\"{uid.Id}\"";

    private string Extn(string fn, string arg) => _random.Next(4) == 0
        ? "{\"__extn\": {\"fn\": \"" + fn + "\", \"args\": [\"" + arg + "\"]}}"
        : "{\"__extn\": {\"fn\": \"" + fn + "\", \"arg\": \"" + arg + "\"}}";

    private static string EntityJson((string Type, string Id) uid) => $$"""{"__entity": {{Uid(uid)}}}""";

    private string Pick(params string[] options) => options[_random.Next(options.Length)];
}
