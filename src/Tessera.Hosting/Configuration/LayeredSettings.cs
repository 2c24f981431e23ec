namespace Tessera.Hosting.Configuration;

/// <summary>
/// Collects a process's settings from its three sources, later ones winning: the config file, then environment
/// variables named <c>PREFIX</c> + the upper-case setting (<c>TESSERA_SERVER_TRUST_DOMAIN</c>), then flags.
/// An unknown setting in the file or the environment is a problem, not ignored: a typo in a security setting
/// must not fall back to a default.
/// </summary>
internal static class LayeredSettings
{
    /// <summary>Returns setting → value; every unusable file entry or environment variable is added to <paramref name="problems"/>.</summary>
    public static Dictionary<string, string> Collect(
        string? configFile,
        IReadOnlySet<string> keys,
        IReadOnlyDictionary<string, string?> environment,
        string environmentPrefix,
        IReadOnlyDictionary<string, string> flags,
        List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(problems);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (configFile is not null)
        {
            foreach (var (key, value) in ConfigFileReader.Read(configFile, keys, problems))
            {
                values[key] = value;
            }
        }

        foreach (var (name, value) in environment)
        {
            if (!name.StartsWith(environmentPrefix, StringComparison.Ordinal) || value is null)
            {
                continue;
            }

            var key = name[environmentPrefix.Length..].ToLowerInvariant();
            if (keys.Contains(key))
            {
                values[key] = value;
            }
            else
            {
                problems.Add($"environment variable {name}: unknown setting '{key}'");
            }
        }

        foreach (var (key, value) in flags)
        {
            values[key] = value;
        }

        return values;
    }
}
