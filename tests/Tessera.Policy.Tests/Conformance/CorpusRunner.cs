using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;

namespace Tessera.Policy.Tests.Conformance;

/// <summary>
/// Runs cedar-integration-tests scenarios the way the reference harness does: parse the policies and
/// entities, then for each request compare the decision, the set of reasons and the set of erroring
/// policy ids. Schemas and <c>shouldValidate</c> are not checked yet (the validator is later work).
/// </summary>
internal static class CorpusRunner
{
    public static string CorpusRoot => Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "conformance", "cedar-integration-tests"));

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
            requests);
    }

    /// <summary>Runs one scenario; returns how many requests matched and a description of each mismatch.</summary>
    public static (int Passed, List<string> Failures) Run(CorpusScenario scenario)
    {
        var failures = new List<string>();
        PolicySet policies;
        EntityStore entities;
        try
        {
            policies = PolicySet.Parse(File.ReadAllText(scenario.PoliciesPath));
            entities = EntityStore.FromJson(File.ReadAllText(scenario.EntitiesPath));
        }
        catch (FormatException ex)
        {
            failures.Add($"{scenario.Name}: setup failed: {ex.Message}");
            return (0, failures);
        }

        var passed = 0;
        foreach (var request in scenario.Requests)
        {
            var problem = RunRequest(policies, entities, request);
            if (problem is null)
            {
                passed++;
            }
            else
            {
                failures.Add($"{scenario.Name} / {request.Description}: {problem}");
            }
        }

        return (passed, failures);
    }

    private static string? RunRequest(PolicySet policies, EntityStore entities, CorpusRequest request)
    {
        RequestContext context;
        try
        {
            context = RequestContext.FromJson(request.Context);
        }
        catch (FormatException ex)
        {
            return $"context rejected: {ex.Message}";
        }

        var response = policies.IsAuthorized(
            new AuthorizationRequest { Principal = request.Principal, Action = request.Action, Resource = request.Resource, Context = context },
            entities);
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
