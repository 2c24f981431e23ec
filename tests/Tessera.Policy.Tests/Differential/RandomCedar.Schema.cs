using System.Text;

namespace Tessera.Policy.Tests.Differential;

/// <summary>Random schemas over the generator's entity types, attributes and actions, for differential validation.</summary>
internal sealed partial class RandomCedar
{
    /// <summary>
    /// A schema in the Cedar syntax: User, Group and Photo with a random subset of the generator's attributes
    /// (each required or optional, sometimes with a different type), random membership and tags, and the
    /// actions view and edit (in the group all) with random principal and resource types.
    /// </summary>
    public string Schema()
    {
        var text = new StringBuilder();
        foreach (var type in Types)
        {
            var parents = Types.Where(t => t != type && _random.Next(3) == 0).ToList();
            var memberOf = parents.Count == 0 ? string.Empty : $" in [{string.Join(", ", parents)}]";
            var attributes = new List<string>();
            foreach (var (name, types) in SchemaAttributes)
            {
                if (_random.Next(4) != 0)
                {
                    attributes.Add($"{name}{(_random.Next(4) == 0 ? "?" : string.Empty)}: {Pick(types)}");
                }
            }

            var tags = _random.Next(3) switch { 0 => " tags String", 1 => " tags Long", _ => string.Empty };
            text.Append($"entity {type}{memberOf} = {{ {string.Join(", ", attributes)} }}{tags};\n");
        }

        text.Append("action all;\n");
        foreach (var action in (string[])["view", "edit"])
        {
            var principals = Types.Where(_ => _random.Next(2) == 0).DefaultIfEmpty(Pick(Types));
            var resources = Types.Where(_ => _random.Next(2) == 0).DefaultIfEmpty(Pick(Types));
            var context = Pick("{ x: String, n: Long, ip: ipaddr }", "{ x: Long, n?: Long, ip?: ipaddr }", "{ x: String }");
            text.Append($"action {action} in [all] appliesTo {{ principal: [{string.Join(", ", principals)}], resource: [{string.Join(", ", resources)}], context: {context} }};\n");
        }

        return text.ToString();
    }

    private static readonly (string Name, string[] Types)[] SchemaAttributes =
    [
        ("n", ["Long", "Long", "String"]),
        ("s", ["String", "String", "Long"]),
        ("b", ["Bool"]),
        ("set", ["Set<Long>", "Set<String>", "Set<User>"]),
        ("rec", ["{ x: Long }", "{ x?: Long }", "{ x: { y: Bool } }"]),
        ("ref", ["User", "Group", "Photo"]),
        ("ip", ["ipaddr"]),
        ("dec", ["decimal"]),
        ("dt", ["datetime"]),
        ("dur", ["duration"]),
    ];
}
