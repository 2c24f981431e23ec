using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;
using Tessera.Policy.Schema;
using Tessera.Policy.Validation;
using Xunit.Abstractions;

namespace Tessera.Policy.Tests.Conformance;

/// <summary>
/// Runs cedar-integration-tests scenarios the way the reference harness does: parse the policies and
/// entities, then for each request compare the decision, the set of reasons and the set of erroring
/// policy ids. The schema is used for schema-based parsing of entities and context (as the reference
/// harness does) and for strict validation: when the scenario says <c>shouldValidate</c> the policies must
/// validate without errors, otherwise validation must report at least one. A schema that cannot be parsed
/// falls back to parsing without one and is counted.
/// </summary>
internal static class CorpusRunner
{
    /// <summary>Prefix of a validation mismatch explained by cedar#2545 (invalid action application became a warning).</summary>
    public const string PreCedar2545 = "[cedar#2545] ";

    public static string CorpusRoot => Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "conformance", "cedar-integration-tests"));

    /// <summary>
    /// Unpacks the generated corpus into a fresh temp directory (holding <c>corpus-tests/</c>), or returns null after
    /// writing a SKIPPED line when <c>../shared</c> is absent (a clone outside this workplace).
    /// </summary>
    public static TempDirectory? UnpackGeneratedOrSkip(ITestOutputHelper output)
    {
        var archive = Path.Combine(CorpusRoot, "corpus-tests.tar.gz");
        if (!File.Exists(archive))
        {
            output.WriteLine($"SKIPPED: conformance corpus not found at {archive}");
            return null;
        }

        var temp = new TempDirectory();
        Unpack(archive, temp.Path);
        return temp;
    }

    public static void Unpack(string archive, string destination)
    {
        using var file = File.OpenRead(archive);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        TarFile.ExtractToDirectory(gzip, destination, overwriteFiles: true);
    }

    public static CorpusScenario Load(string scenarioFile, string baseDirectory)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(scenarioFile));
        var root = document.RootElement;
        var requests = root.GetProperty("requests").EnumerateArray().Select(r => new CorpusRequest(
            r.GetProperty("description").GetString() ?? string.Empty,
            Uid(r.GetProperty("principal")),
            Uid(r.GetProperty("action")),
            Uid(r.GetProperty("resource")),
            r.GetProperty("context").Clone(),
            r.GetProperty("decision").GetString() ?? string.Empty,
            r.GetProperty("reason").EnumerateArray().Select(e => e.GetString()!).ToHashSet(),
            r.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToHashSet())).ToList();
        return new CorpusScenario(
            Path.GetFileNameWithoutExtension(scenarioFile),
            Path.Combine(baseDirectory, root.GetProperty("policies").GetString()!),
            Path.Combine(baseDirectory, root.GetProperty("entities").GetString()!),
            root.TryGetProperty("schema", out var schema) && schema.GetString() is { } s ? Path.Combine(baseDirectory, s) : null,
            root.TryGetProperty("shouldValidate", out var shouldValidate) && shouldValidate.GetBoolean(),
            requests);
    }

    /// <summary>Runs one scenario; returns how many requests matched, a description of each mismatch, and whether the schema parsed.</summary>
    public static (int Passed, List<string> Failures, bool SchemaParsed) Run(CorpusScenario scenario) => Run(scenario, null);

    /// <summary>
    /// As <see cref="Run(CorpusScenario)"/>; also checks <c>shouldValidate</c> and adds a line to <paramref name="validation"/> on a
    /// mismatch. <paramref name="rewritePolicies"/>, when given, transforms the policy text first (the formatter's tests use it).
    /// </summary>
    public static (int Passed, List<string> Failures, bool SchemaParsed) Run(CorpusScenario scenario, List<string>? validation, Func<string, string>? rewritePolicies = null)
    {
        var failures = new List<string>();
        PolicySet policies;
        EntityStore entities;
        CedarSchema? schema = null;
        var schemaParsed = true;
        if (scenario.SchemaPath is not null && File.Exists(scenario.SchemaPath))
        {
            try
            {
                schema = CedarSchema.Parse(File.ReadAllText(scenario.SchemaPath));
            }
            catch (FormatException)
            {
                schemaParsed = false;
            }
        }

        try
        {
            var policyText = File.ReadAllText(scenario.PoliciesPath);
            policies = PolicySet.Parse(rewritePolicies is null ? policyText : rewritePolicies(policyText));
            var entityJson = File.ReadAllText(scenario.EntitiesPath);
            entities = schema is null ? EntityStore.FromJson(entityJson) : EntityStore.FromJson(entityJson, schema);
        }
        catch (FormatException ex)
        {
            failures.Add($"{scenario.Name}: setup failed: {ex.Message}");
            return (0, failures, schemaParsed);
        }

        if (validation is not null && schema is not null)
        {
            var result = policies.Validate(schema);
            if (result.IsValid != scenario.ShouldValidate)
            {
                // The corpus predates cedar#2545 (Cedar 4.11), which made a scope that matches no request a warning.
                var preWarning = result.IsValid && result.Warnings.Any(w => w.Message == ValidationWarning.NoApplicableAction);
                validation.Add($"{(preWarning ? PreCedar2545 : string.Empty)}{scenario.Name}: shouldValidate {scenario.ShouldValidate}, got [{string.Join("; ", result.Errors)}]");
            }
        }

        var passed = 0;
        foreach (var request in scenario.Requests)
        {
            var problem = RunRequest(policies, entities, schema, request);
            if (problem is null)
            {
                passed++;
            }
            else
            {
                failures.Add($"{scenario.Name} / {request.Description}: {problem}");
            }
        }

        return (passed, failures, schemaParsed);
    }

    private static string? RunRequest(PolicySet policies, EntityStore entities, CedarSchema? schema, CorpusRequest request)
    {
        RequestContext context;
        try
        {
            context = schema is null
                ? RequestContext.FromJson(request.Context)
                : RequestContext.FromJson(request.Context, schema, request.Action);
        }
        catch (FormatException ex)
        {
            return $"context rejected: {ex.Message}";
        }

        // Every corpus request says validateRequest: with a schema, the request is validated against it first.
        var authorizationRequest = new AuthorizationRequest { Principal = request.Principal, Action = request.Action, Resource = request.Resource, Context = context };
        var response = schema is null ? policies.IsAuthorized(authorizationRequest, entities) : policies.IsAuthorized(authorizationRequest, entities, schema);
        if (response.RequestErrors.Count > 0)
        {
            return $"request rejected: {string.Join("; ", response.RequestErrors)}";
        }

        var decision = response.Decision == Decision.Allow ? "allow" : "deny";
        var errors = response.Errors.Select(e => e.PolicyId).ToHashSet();
        if (decision != request.Decision || !request.Reasons.SetEquals(response.Reasons) || !request.Errors.SetEquals(errors))
        {
            return $"expected {request.Decision} [{string.Join(",", request.Reasons.Order())}] errors [{string.Join(",", request.Errors.Order())}], "
                + $"got {decision} [{string.Join(",", response.Reasons.Order())}] errors [{string.Join("; ", response.Errors.Select(e => $"{e.PolicyId}: {e.Message}"))}]";
        }

        return null;
    }

    private static EntityUid Uid(JsonElement element) =>
        new(element.GetProperty("type").GetString()!, element.GetProperty("id").GetString()!);
}
