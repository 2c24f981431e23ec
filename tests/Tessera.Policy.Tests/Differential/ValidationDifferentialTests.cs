using System.Text.Json;
using Tessera.Policy.Schema;
using Xunit.Abstractions;

namespace Tessera.Policy.Tests.Differential;

/// <summary>
/// Differential validation against the reference (cedar-wasm's strict <c>validate</c>): random schemas and
/// random policy sets from <see cref="RandomCedar"/>; for every case the set of policies with errors must be
/// the same. CI runs a bounded number; TESSERA_CEDAR_DIFF_CASES sets a long run.
/// </summary>
public sealed class ValidationDifferentialTests(ITestOutputHelper output)
{
    private const int DefaultCases = 400;
    private const int BatchSize = 500;

    [Fact]
    public async Task Validate_RandomSchemasAndPolicies_SameErroringPoliciesAsReference()
    {
        Assert.True(
            Directory.Exists(RepoPaths.Interop("cedar-wasm", "node_modules", "@cedar-policy", "cedar-wasm")),
            "cedar-wasm is not installed: run ./test.sh, or `npm ci` in interop/cedar-wasm");
        var count = int.TryParse(Environment.GetEnvironmentVariable("TESSERA_CEDAR_DIFF_CASES"), out var n) ? n : DefaultCases;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TESSERA_CEDAR_DIFF_SEED"), out var s) ? s : 20261123;
        var generator = new RandomCedar(seed);
        var cases = Enumerable.Range(0, count).Select(_ => (Schema: generator.Schema(), Policies: generator.Policies())).ToList();

        int compared = 0, policies = 0, invalid = 0, rejected = 0;
        var mismatches = new List<string>();
        foreach (var batch in cases.Chunk(BatchSize))
        {
            var input = JsonSerializer.Serialize(new { cases = batch.Select(c => new { schema = c.Schema, policies = c.Policies }) });
            var result = (await ExternalTool.RunAsync("node", [RepoPaths.Interop("cedar-wasm", "validate.mjs")], input, timeout: TimeSpan.FromMinutes(5)))
                .EnsureSuccess("cedar-wasm validate");
            using var answers = JsonDocument.Parse(result.StdOut);
            foreach (var (testCase, reference) in batch.Zip(answers.RootElement.GetProperty("results").EnumerateArray()))
            {
                if (!reference.GetProperty("parsed").GetBoolean())
                {
                    // A near-valid literal the reference's parser refuses; Tessera's parser must refuse it too.
                    Assert.Throws<Tessera.Policy.Parsing.PolicyParseException>(() => PolicySet.Parse(testCase.Policies));
                    rejected++;
                    continue;
                }

                var expected = reference.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("policyId").GetString()!).ToHashSet();
                var set = PolicySet.Parse(testCase.Policies);
                var actual = set.Validate(CedarSchema.Parse(testCase.Schema));
                compared++;
                policies += set.PolicyIds.Count;
                invalid += expected.Count;
                if (!expected.SetEquals(actual.Errors.Select(e => e.PolicyId)))
                {
                    mismatches.Add($"schema:\n{testCase.Schema}policies:\n{testCase.Policies}reference: {string.Join("; ", reference.GetProperty("errors").EnumerateArray().Select(e => $"{e.GetProperty("policyId")}: {e.GetProperty("message")}"))}\n"
                        + $"tessera: {string.Join("; ", actual.Errors)}\n");
                }
            }
        }

        output.WriteLine($"validation: {compared - mismatches.Count}/{compared} cases ({policies} policies, {invalid} invalid per the reference) agree; {rejected} policy sets rejected by both parsers");
        mismatches.Take(5).ToList().ForEach(output.WriteLine);
        Assert.Empty(mismatches);
    }
}
