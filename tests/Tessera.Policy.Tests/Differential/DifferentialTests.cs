using System.Text;
using System.Text.Json;
using Tessera.Policy.Authorization;
using Tessera.Policy.Entities;
using Tessera.Policy.Parsing;
using Xunit.Abstractions;

namespace Tessera.Policy.Tests.Differential;

/// <summary>
/// Differential testing against the Cedar reference implementation (cedar-wasm under Node, from
/// interop/cedar-wasm): random entity graphs, policies and requests are decided by both, and every
/// decision, reason set and error set must agree. CI runs a bounded number of cases; set
/// TESSERA_CEDAR_DIFF_CASES for a long run.
/// </summary>
public sealed class DifferentialTests(ITestOutputHelper output)
{
    private const int DefaultCases = 300;
    private const int RequestsPerCase = 8;
    private const int BatchSize = 200;

    [Fact]
    public async Task IsAuthorized_RandomInputs_AgreesWithReference()
    {
        var driver = RepoPaths.Interop("cedar-wasm", "authorize.mjs");
        // ./test.sh installs the reference; a missing install is a failure, never a silent pass.
        Assert.True(
            Directory.Exists(RepoPaths.Interop("cedar-wasm", "node_modules", "@cedar-policy", "cedar-wasm")),
            "cedar-wasm is not installed: run ./test.sh, or `npm ci` in interop/cedar-wasm");

        var count = int.TryParse(Environment.GetEnvironmentVariable("TESSERA_CEDAR_DIFF_CASES"), out var n) ? n : DefaultCases;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TESSERA_CEDAR_DIFF_SEED"), out var s) ? s : 20261123;
        var generator = new RandomCedar(seed);
        // One case in four has mutated policy text, so the parsers' accept/reject decisions are compared too.
        // One case in five also has a template with two links.
        var cases = Enumerable.Range(0, count).Select(i => new Case(
            i % 4 == 3 ? generator.MutatedPolicies() : generator.Policies(),
            generator.Entities(),
            Enumerable.Range(0, RequestsPerCase).Select(_ => generator.Request()).ToList(),
            i % 5 == 1 ? generator.Template() : null,
            [generator.SlotValue(), generator.SlotValue(), generator.SlotValue(), generator.SlotValue()])).ToList();

        // Batches keep each Node process small; one huge stdin document has crashed V8 here.
        var references = new List<JsonElement>();
        foreach (var batch in cases.Chunk(BatchSize))
        {
            var input = new StringBuilder("{\"cases\": [");
            input.AppendJoin(",", batch.Select(c =>
                $"{{\"policies\": {JsonSerializer.Serialize(c.Policies)}, {TemplateJson(c)}\"entities\": {c.Entities}, \"requests\": [{string.Join(",", c.Requests)}]}}"));
            input.Append("]}");
            var result = (await ExternalTool.RunAsync("node", [driver], input.ToString(), timeout: TimeSpan.FromMinutes(5))).EnsureSuccess("cedar-wasm driver");
            using var answers = JsonDocument.Parse(result.StdOut);
            references.AddRange(answers.RootElement.GetProperty("results").EnumerateArray().Select(e => e.Clone()));
        }

        var tally = new Tally();
        var mismatches = new List<string>();
        foreach (var (testCase, reference) in cases.Zip(references))
        {
            var mismatch = Compare(testCase, reference, tally);
            if (mismatch is not null)
            {
                mismatches.Add(mismatch);
            }
        }

        output.WriteLine($"differential: {tally.Agreed}/{tally.Compared} requests agree with cedar-wasm over {count} cases (seed {seed}); "
            + $"{tally.BothRejected} mutated policy sets rejected by both parsers; {tally.LinkedReasons} reasons or errors were template links");
        mismatches.Take(10).ToList().ForEach(output.WriteLine);
        Assert.True(tally.Compared > count, "too few requests were compared");
        Assert.Empty(mismatches);
    }

    private static string? Compare(Case testCase, JsonElement reference, Tally tally)
    {
        PolicySet policies;
        try
        {
            policies = PolicySet.Parse(testCase.Policies + "\n" + testCase.Template);
            if (testCase.Template is not null)
            {
                var templateId = policies.TemplateIds.Single();
                for (var link = 0; link < 2; link++)
                {
                    policies = policies.Link(
                        templateId,
                        $"link{link}",
                        testCase.Template.Contains("?principal", StringComparison.Ordinal) ? Slot(testCase, link, 0) : null,
                        testCase.Template.Contains("?resource", StringComparison.Ordinal) ? Slot(testCase, link, 1) : null);
                }
            }
        }
        catch (PolicyParseException ex)
        {
            if (reference.GetProperty("parsed").GetBoolean())
            {
                return $"we rejected what the reference parses: {ex.Message}\n{testCase.Policies}";
            }

            tally.BothRejected++;
            return null;
        }

        if (!reference.GetProperty("parsed").GetBoolean())
        {
            return $"the reference rejects what we parse:\n{testCase.Policies}";
        }

        EntityStore entities;
        try
        {
            entities = EntityStore.FromJson(testCase.Entities);
        }
        catch (FormatException ex)
        {
            // Both must reject the same entity documents (for example a cyclic hierarchy).
            tally.Compared++;
            if (reference.GetProperty("answers").EnumerateArray().All(a => a.TryGetProperty("failure", out _)))
            {
                tally.Agreed++;
                return null;
            }

            return $"we rejected entities the reference accepts: {ex.Message}\n{testCase.Entities}";
        }

        foreach (var (requestJson, answer) in testCase.Requests.Zip(reference.GetProperty("answers").EnumerateArray()))
        {
            tally.Compared++;
            using var request = JsonDocument.Parse(requestJson);
            var root = request.RootElement;
            var response = policies.IsAuthorized(
                new AuthorizationRequest
                {
                    Principal = Uid(root.GetProperty("principal")),
                    Action = Uid(root.GetProperty("action")),
                    Resource = Uid(root.GetProperty("resource")),
                    Context = RequestContext.FromJson(root.GetProperty("context")),
                },
                entities);
            if (answer.TryGetProperty("failure", out var failure))
            {
                return $"reference failed: {failure}";
            }

            var decision = response.Decision == Decision.Allow ? "allow" : "deny";
            var reasons = answer.GetProperty("reason").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
            var errors = answer.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
            if (decision != answer.GetProperty("decision").GetString() || !reasons.SetEquals(response.Reasons)
                || !errors.SetEquals(response.Errors.Select(e => e.PolicyId)))
            {
                return $"request {requestJson}\nreference: {answer}\nours: {decision} [{string.Join(",", response.Reasons)}] errors [{string.Join("; ", response.Errors)}]\n{testCase.Policies}\n{testCase.Entities}";
            }

            tally.Agreed++;
            tally.LinkedReasons += response.Reasons.Concat(response.Errors.Select(e => e.PolicyId)).Count(r => r.StartsWith("link", StringComparison.Ordinal));
        }

        return null;
    }

    private static EntityUid Slot(Case c, int link, int slot) => new(c.SlotValues[(link * 2) + slot].Type, c.SlotValues[(link * 2) + slot].Id);

    // The template is the last policy of the combined text, so its positional id is policy<count of static policies>.
    private static string TemplateJson(Case c)
    {
        if (c.Template is null)
        {
            return string.Empty;
        }

        var id = $"policy{PolicySetCount(c.Policies)}";
        var links = Enumerable.Range(0, 2).Select(link =>
        {
            var values = new List<string>();
            if (c.Template.Contains("?principal", StringComparison.Ordinal))
            {
                values.Add($"\"?principal\": {UidJson(Slot(c, link, 0))}");
            }

            if (c.Template.Contains("?resource", StringComparison.Ordinal))
            {
                values.Add($"\"?resource\": {UidJson(Slot(c, link, 1))}");
            }

            return $"{{\"newId\": \"link{link}\", \"values\": {{{string.Join(", ", values)}}}}}";
        });
        return $"\"template\": {{\"id\": \"{id}\", \"text\": {JsonSerializer.Serialize(c.Template)}, \"links\": [{string.Join(", ", links)}]}}, ";
    }

    private static int PolicySetCount(string policies)
    {
        try
        {
            return PolicySet.Parse(policies).PolicyIds.Count;
        }
        catch (PolicyParseException)
        {
            return 0;
        }
    }

    private static string UidJson(EntityUid uid) => $"{{\"type\": \"{uid.Type}\", \"id\": \"{uid.Id}\"}}";

    private static EntityUid Uid(JsonElement e) => new(e.GetProperty("type").GetString()!, e.GetProperty("id").GetString()!);

    /// <summary>Counts for the report; <see cref="LinkedReasons"/> shows the template path is exercised.</summary>
    private sealed class Tally
    {
        public int Compared { get; set; }

        public int Agreed { get; set; }

        public int BothRejected { get; set; }

        public int LinkedReasons { get; set; }
    }

    private sealed record Case(
        string Policies, string Entities, IReadOnlyList<string> Requests, string? Template, IReadOnlyList<(string Type, string Id)> SlotValues);
}
