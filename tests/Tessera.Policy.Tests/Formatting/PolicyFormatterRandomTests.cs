using Tessera.Policy.Formatting;
using Tessera.Policy.Parsing;
using Tessera.Policy.Tests.Differential;
using Xunit.Abstractions;

namespace Tessera.Policy.Tests.Formatting;

/// <summary>
/// The formatter over the differential test's random policies (every operator family, deep nesting) and over
/// randomly edited policy text that still parses: each must re-parse to the same tree and format idempotently.
/// <c>TESSERA_CEDAR_FORMAT_CASES</c> sets a longer run.
/// </summary>
public sealed class PolicyFormatterRandomTests(ITestOutputHelper output)
{
    private const int Cases = 3_000;

    [Fact]
    public void Format_RandomPolicies_ReparseToSameTreeIdempotently()
    {
        var cases = int.TryParse(Environment.GetEnvironmentVariable("TESSERA_CEDAR_FORMAT_CASES"), out var requested) ? requested : Cases;
        int checkedSets = 0, mutatedAccepted = 0;
        for (var seed = 0; seed < cases; seed++)
        {
            var random = new RandomCedar(seed);
            string[] texts = [random.Policies(), random.Template(), random.MutatedPolicies()];
            foreach (var text in texts)
            {
                PolicySet original;
                try
                {
                    original = PolicySet.Parse(text);
                }
                catch (PolicyParseException)
                {
                    continue;
                }

                mutatedAccepted += ReferenceEquals(text, texts[2]) ? 1 : 0;
                var formatted = PolicyFormatter.Format(original);
                var reparsed = PolicySet.Parse(formatted);
                Assert.True(
                    AstComparer.FirstDifference(original.Policies, reparsed.Policies) is null,
                    $"seed {seed}: {AstComparer.FirstDifference(original.Policies, reparsed.Policies)}\n--- input\n{text}\n--- formatted\n{formatted}");
                Assert.Equal(formatted, PolicyFormatter.Format(reparsed));
                checkedSets++;
            }
        }

        output.WriteLine($"formatter: {checkedSets} random policy sets ({mutatedAccepted} of them randomly edited) round-trip");
        Assert.True(checkedSets > 2 * cases);
    }
}
