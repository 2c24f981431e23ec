using System.Text;
using Tessera.Policy.Formatting;
using Tessera.Policy.Parsing;
using Tessera.Policy.Tests.Conformance;
using Tessera.Policy.Tests.Differential;
using Xunit.Abstractions;

namespace Tessera.Policy.Tests.Formatting;

/// <summary>
/// Comments injected at random token boundaries of real policies (a seeded sample of the conformance corpus, and
/// the differential test's random policies with their redundant parentheses and deep nesting): the formatted text
/// re-parses to the same tree, formats to itself, and holds every comment exactly as often as the input.
/// <c>TESSERA_CEDAR_COMMENT_CASES</c> sets how many texts of each source are tried (all corpus files when it is
/// at least their number).
/// </summary>
public sealed class PolicyFormatterCommentFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 400;

    // Text that would change the policy if a comment were cut short or printed inside a line.
    private static readonly string[] Tails = ["", " ) ; }", " \"quoted // text\"", " // nested", " @id(\"x\") forbid(", " when { false }", "  "];

    [Fact]
    public void Format_CorpusPoliciesWithInjectedComments_KeepTreeCommentsAndIdempotence()
    {
        using var temp = CorpusRunner.UnpackGeneratedOrSkip(output);
        if (temp is null)
        {
            return;
        }

        var files = Directory.GetFiles(Path.Combine(temp.Path, "corpus-tests"), "*.cedar").Order(StringComparer.Ordinal).ToList();
        var handWritten = Path.Combine(CorpusRunner.CorpusRoot, "tests");
        var withComments = Directory.Exists(handWritten)
            ? Directory.GetFiles(handWritten, "*.cedar", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        var cases = RequestedCases();
        var sample = new Random(20261123);
        var chosen = cases >= files.Count ? files : files.OrderBy(_ => sample.Next()).Take(cases).ToList();

        // The hand-written tests carry comments of their own: all of them, as written and with more injected.
        var texts = withComments.Concat(chosen).Select(File.ReadAllText).ToList();
        var (checkedTexts, injected) = CheckAll(texts, seedBase: 0);
        foreach (var text in withComments.Select(File.ReadAllText))
        {
            Check(text, text, "hand-written file as is");
        }

        output.WriteLine($"formatter: {checkedTexts} corpus policy files ({withComments.Count} hand-written with comments) with {injected} injected comments keep tree, comments and idempotence");
        Assert.True(checkedTexts >= Math.Min(cases, 100));
    }

    [Fact]
    public void Format_RandomPoliciesWithInjectedComments_KeepTreeCommentsAndIdempotence()
    {
        var cases = RequestedCases();
        var texts = new List<string>();
        for (var seed = 0; seed < cases; seed++)
        {
            var random = new RandomCedar(seed);
            texts.Add(random.Policies());
            texts.Add(random.Template());
        }

        var (checkedTexts, injected) = CheckAll(texts, seedBase: 1_000_000);
        output.WriteLine($"formatter: {checkedTexts} random policy sets with {injected} injected comments keep tree, comments and idempotence");
        Assert.True(checkedTexts > cases);
    }

    private static int RequestedCases() =>
        int.TryParse(Environment.GetEnvironmentVariable("TESSERA_CEDAR_COMMENT_CASES"), out var requested) ? requested : Cases;

    private static (int Checked, int Injected) CheckAll(List<string> texts, int seedBase)
    {
        int checkedTexts = 0, injected = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            try
            {
                PolicySet.Parse(texts[i]);
            }
            catch (PolicyParseException)
            {
                // A few corpus files are deliberately invalid; the formatter refuses them before looking at comments.
                continue;
            }

            var seed = seedBase + i;
            var (withComments, count) = Inject(texts[i], new Random(seed));
            Check(texts[i], withComments, $"seed {seed}");
            checkedTexts++;
            injected += count;
        }

        return (checkedTexts, injected);
    }

    /// <summary>Adds between 1 and 12 uniquely numbered comments at random gaps between tokens, in three shapes.</summary>
    internal static (string Text, int Count) Inject(string text, Random random)
    {
        var lexed = LexedText.Read(text);
        var gaps = lexed.Tokens.Count + 1;
        var count = random.Next(1, Math.Min(12, gaps) + 1);
        var insertions = Enumerable.Range(0, count)
            .Select(n => (Gap: random.Next(gaps), Comment: $"// c{n}#{Tails[random.Next(Tails.Length)]}", Shape: random.Next(3)))
            .OrderBy(x => x.Gap)
            .ToList();
        var builder = new StringBuilder();
        var copied = 0;
        foreach (var (gap, comment, shape) in insertions)
        {
            var at = gap == 0 ? 0 : lexed.Ends[gap - 1];
            builder.Append(text, copied, at - copied);
            copied = at;
            builder.Append(shape switch
            {
                0 => $" {comment}\n",
                1 => $"\n    {comment}\n",
                _ => $"\n\n{comment}\n\n",
            });
        }

        builder.Append(text, copied, text.Length - copied);
        return (builder.ToString(), count);
    }

    private static void Check(string original, string withComments, string label)
    {
        var formatted = PolicyFormatter.Format(withComments);
        var context = $"{label}\n--- input\n{withComments}\n--- formatted\n{formatted}";
        var difference = AstComparer.FirstDifference(PolicySet.Parse(original).Policies, PolicySet.Parse(formatted).Policies);
        Assert.True(difference is null, $"{context}\n--- tree differs at {difference}");
        var again = PolicyFormatter.Format(formatted);
        Assert.True(again == formatted, $"{context}\n--- formatted again\n{again}");

        var expected = Comments(withComments);
        var actual = Comments(formatted);
        Assert.True(expected.SequenceEqual(actual), $"{context}\n--- comments expected\n{string.Join("\n", expected)}\n--- comments found\n{string.Join("\n", actual)}");
        foreach (var marker in expected.Where(c => c.StartsWith("// c", StringComparison.Ordinal) && c.Contains('#', StringComparison.Ordinal)))
        {
            // Counted in the raw text too, so the check does not rest on the formatter's own comment reader alone.
            var occurrences = formatted.Split(marker.Split('#')[0] + "#").Length - 1;
            Assert.True(occurrences == 1, $"{context}\n--- `{marker}` found {occurrences} times");
        }
    }

    private static List<string> Comments(string text) =>
        LexedText.Read(text).Comments.Select(c => c.Text).Order(StringComparer.Ordinal).ToList();
}
