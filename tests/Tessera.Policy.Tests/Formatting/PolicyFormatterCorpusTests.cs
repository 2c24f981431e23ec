using Tessera.Policy.Formatting;
using Tessera.Policy.Tests.Conformance;
using Xunit.Abstractions;

namespace Tessera.Policy.Tests.Formatting;

/// <summary>
/// The formatter over every policy of the conformance corpus: the formatted text re-parses to the same syntax
/// tree, formatting it again changes nothing, and every corpus request gets the answer the corpus expects
/// (decision, reasons, erroring policies) from the formatted policies.
/// </summary>
public sealed class PolicyFormatterCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void Format_EveryCorpusPolicy_ReparsesToSameTreeIdempotentlyWithSameAnswers()
    {
        using var temp = CorpusRunner.UnpackGeneratedOrSkip(output);
        if (temp is null)
        {
            return;
        }

        var scenarios = Directory.GetFiles(Path.Combine(temp.Path, "corpus-tests"), "*.json")
            .Where(f => !f.EndsWith(".entities.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => CorpusRunner.Load(f, temp.Path))
            .ToList();
        var handWritten = Path.Combine(CorpusRunner.CorpusRoot, "tests");
        if (Directory.Exists(handWritten))
        {
            scenarios.AddRange(Directory.GetFiles(handWritten, "*.json", SearchOption.AllDirectories)
                .Order(StringComparer.Ordinal)
                .Select(f => CorpusRunner.Load(f, CorpusRunner.CorpusRoot)));
        }

        int policySets = 0, policies = 0, requests = 0, requestsPassed = 0;
        var failures = new List<string>();
        foreach (var scenario in scenarios)
        {
            var original = PolicySet.Parse(File.ReadAllText(scenario.PoliciesPath));
            var formatted = PolicyFormatter.Format(original);
            var reparsed = PolicySet.Parse(formatted);
            if (AstComparer.FirstDifference(original.Policies, reparsed.Policies) is { } difference)
            {
                failures.Add($"{scenario.Name}: re-parsed tree differs at {difference}");
            }

            if (PolicyFormatter.Format(reparsed) != formatted)
            {
                failures.Add($"{scenario.Name}: formatting is not idempotent");
            }

            policySets++;
            policies += original.Policies.Count;
            var (passed, requestFailures, _) = CorpusRunner.Run(scenario, null, PolicyFormatter.Format);
            requests += scenario.Requests.Count;
            requestsPassed += passed;
            failures.AddRange(requestFailures);
        }

        output.WriteLine($"formatter: {policies} policies in {policySets} policy sets re-parse to the same tree and format idempotently; "
            + $"{requestsPassed}/{requests} requests get the corpus answer from the formatted policies; {failures.Count} failures");
        failures.Take(50).ToList().ForEach(output.WriteLine);
        Assert.True(policySets > 7000, $"expected the full corpus, found {policySets} policy sets");
        Assert.Empty(failures);
    }
}
