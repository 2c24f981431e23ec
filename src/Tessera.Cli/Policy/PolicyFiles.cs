using System.Diagnostics.CodeAnalysis;
using Tessera.Policy;
using Tessera.Policy.Entities;
using Tessera.Policy.Schema;

namespace Tessera.Cli.Policy;

/// <summary>
/// Reads the policy, schema and entity files the policy verbs name. A file that cannot be read or parsed
/// prints one line naming the option, the file and what is wrong (with line and column for Cedar text),
/// and the verb exits 2.
/// </summary>
internal static class PolicyFiles
{
    public static bool TryReadPolicies(FileInfo file, [NotNullWhen(true)] out PolicySet? policies) =>
        TryParse(file, "--policies", PolicySet.Parse, out policies);

    /// <summary>A schema in JSON when the file name ends in <c>.json</c>, otherwise in the Cedar schema syntax.</summary>
    public static bool TryReadSchema(FileInfo file, [NotNullWhen(true)] out CedarSchema? schema) =>
        TryParse(file, "--schema", file.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? CedarSchema.ParseJson : CedarSchema.Parse, out schema);

    public static bool TryReadEntities(FileInfo file, CedarSchema? schema, [NotNullWhen(true)] out EntityStore? entities) =>
        TryParse(file, "--entities", json => schema is null ? EntityStore.FromJson(json) : EntityStore.FromJson(json, schema), out entities);

    public static bool TryReadText(FileInfo file, string option, [NotNullWhen(true)] out string? text)
    {
        text = null;
        try
        {
            text = File.ReadAllText(file.FullName);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"{option}: cannot read {file.FullName}: {ex.Message}");
            return false;
        }
    }

    private static bool TryParse<T>(FileInfo file, string option, Func<string, T> parse, [NotNullWhen(true)] out T? value)
        where T : class
    {
        value = null;
        if (!TryReadText(file, option, out var text))
        {
            return false;
        }

        try
        {
            value = parse(text);
            return true;
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"{option}: {file.Name}: {ex.Message}");
            return false;
        }
    }
}
