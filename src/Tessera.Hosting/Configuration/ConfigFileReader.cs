using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tessera.Hosting.Configuration;

/// <summary>
/// Reads a flat config file (server or agent) — JSON (<c>.json</c>) or YAML (anything else) — into setting → value.
/// Lists (admin_uids) become comma-separated values. Unknown keys and nested objects are problems, not
/// silently ignored: a typo in a security setting must not fall back to a default.
/// </summary>
internal static class ConfigFileReader
{
    public static Dictionary<string, string> Read(string path, IReadOnlySet<string> knownKeys, List<string> problems)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add($"config file '{path}': {ex.Message}");
            return result;
        }

        try
        {
            var pairs = path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ReadJson(text) : ReadYaml(text);
            foreach (var (key, value) in pairs)
            {
                if (!knownKeys.Contains(key))
                {
                    problems.Add($"config file '{path}': unknown setting '{key}'");
                }
                else if (value is null)
                {
                    problems.Add($"config file '{path}': setting '{key}' must be a value or a list of values, not an object");
                }
                else
                {
                    result[key] = value;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or YamlException or FormatException)
        {
            problems.Add($"config file '{path}': {ex.Message}");
        }

        return result;
    }

    private static List<(string Key, string? Value)> ReadJson(string text)
    {
        using var document = JsonDocument.Parse(text);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("the top level must be an object of settings");
        }

        var pairs = new List<(string Key, string? Value)>();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            pairs.Add((property.Name, property.Value.ValueKind switch
            {
                JsonValueKind.Array => string.Join(',', property.Value.EnumerateArray().Select(Scalar)),
                JsonValueKind.Object => null,
                _ => Scalar(property.Value),
            }));
        }

        return pairs;
    }

    private static string Scalar(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? element.GetString()! : element.GetRawText();

    private static List<(string Key, string? Value)> ReadYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        if (stream.Documents.Count == 0)
        {
            return [];
        }


        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new FormatException("the top level must be a mapping of settings");
        }

        return root.Children.Select(pair => (
            ((YamlScalarNode)pair.Key).Value ?? string.Empty,
            pair.Value switch
            {
                YamlScalarNode scalar => scalar.Value ?? string.Empty,
                YamlSequenceNode sequence => string.Join(',', sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value)),
                _ => (string?)null,
            })).ToList();
    }

}
