using System.Diagnostics.CodeAnalysis;
using Tessera.Cli.Internal;
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
        InputFiles.TryParseText(file, "--policies", PolicySet.Parse, Console.Error, out policies);

    /// <summary>A schema in JSON when the file name ends in <c>.json</c>, otherwise in the Cedar schema syntax.</summary>
    public static bool TryReadSchema(FileInfo file, [NotNullWhen(true)] out CedarSchema? schema) =>
        InputFiles.TryParseText(file, "--schema", file.Name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? CedarSchema.ParseJson : CedarSchema.Parse, Console.Error, out schema);

    public static bool TryReadEntities(FileInfo file, CedarSchema? schema, [NotNullWhen(true)] out EntityStore? entities) =>
        InputFiles.TryParseText(file, "--entities", json => schema is null ? EntityStore.FromJson(json) : EntityStore.FromJson(json, schema), Console.Error, out entities);
}
