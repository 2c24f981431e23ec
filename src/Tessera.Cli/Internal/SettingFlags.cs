using System.Collections;
using System.CommandLine;

namespace Tessera.Cli.Internal;

/// <summary>
/// The <c>--flag</c> per setting that <c>server run</c> and <c>agent run</c> offer: adds one string option per setting
/// to a command and reads the given ones back as setting → value, for the options loaders (which also take the
/// config file and the environment, flags winning).
/// </summary>
internal sealed class SettingFlags
{
    private readonly (Option<string> Option, string Key)[] _options;

    public SettingFlags(Command command, IEnumerable<(string Flag, string Key, string Description)> flags)
    {
        _options = flags.Select(f => (new Option<string>(f.Flag) { Description = f.Description }, f.Key)).ToArray();
        foreach (var (option, _) in _options)
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The settings given on the command line.</summary>
    public Dictionary<string, string> Read(ParseResult result)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (option, key) in _options)
        {
            if (result.GetValue(option) is { } value)
            {
                values[key] = value;
            }
        }

        return values;
    }

    /// <summary>This process's environment variables.</summary>
    public static Dictionary<string, string?> Environment() =>
        System.Environment.GetEnvironmentVariables().Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
}
