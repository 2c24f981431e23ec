using System.Text;
using System.Text.Json;
using Tessera.Policy.Schema;
using Tessera.Policy.Tests.Conformance;
using Xunit.Abstractions;

namespace Tessera.Policy.Tests.Differential;

/// <summary>
/// The two schema formats give the same model: every schema of the conformance corpus (all written in the
/// Cedar syntax) is converted to the JSON format by the reference implementation (cedar-wasm's
/// <c>schemaToJson</c>), and <see cref="CedarSchema.ParseJson"/> of the conversion must describe exactly
/// like <see cref="CedarSchema.Parse"/> of the original.
/// </summary>
public sealed class SchemaFormatDifferentialTests(ITestOutputHelper output)
{
    private const int BatchSize = 1000;

    [Fact]
    public async Task ParseJson_ReferenceConversionOfCorpusSchemas_DescribesLikeCedarSyntax()
    {
        var archive = Path.Combine(CorpusRunner.CorpusRoot, "corpus-tests.tar.gz");
        Assert.True(File.Exists(archive), $"conformance corpus not found at {archive}");
        Assert.True(
            Directory.Exists(RepoPaths.Interop("cedar-wasm", "node_modules", "@cedar-policy", "cedar-wasm")),
            "cedar-wasm is not installed: run ./test.sh, or `npm ci` in interop/cedar-wasm");
        using var temp = new TempDirectory();
        CorpusRunner.Unpack(archive, temp.Path);
        var files = Directory.GetFiles(Path.Combine(temp.Path, "corpus-tests"), "*.cedarschema")
            .Concat(Directory.GetFiles(Path.Combine(CorpusRunner.CorpusRoot, "sample-data"), "*.cedarschema", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)
            .ToList();

        int compared = 0, same = 0;
        var mismatches = new List<string>();
        foreach (var batch in files.Chunk(BatchSize))
        {
            var texts = batch.Select(File.ReadAllText).ToList();
            var input = JsonSerializer.Serialize(new { schemas = texts });
            var result = (await ExternalTool.RunAsync("node", [RepoPaths.Interop("cedar-wasm", "schema-to-json.mjs")], input, timeout: TimeSpan.FromMinutes(5)))
                .EnsureSuccess("cedar-wasm schema-to-json");
            using var answers = JsonDocument.Parse(result.StdOut);
            foreach (var (file, text, json) in batch.Zip(texts, answers.RootElement.GetProperty("results").EnumerateArray()))
            {
                compared++;
                var fromCedar = CedarSchema.Parse(text).Describe();
                var fromJson = CedarSchema.ParseJson(json.GetRawText()).Describe();
                if (fromCedar == fromJson)
                {
                    same++;
                }
                else
                {
                    mismatches.Add($"{Path.GetFileName(file)}:\n{Diff(fromCedar, fromJson)}");
                }
            }
        }

        output.WriteLine($"schemas: {same}/{compared} describe alike in both formats");
        mismatches.Take(10).ToList().ForEach(output.WriteLine);
        Assert.True(compared > 7000, $"expected the corpus schemas, found {compared}");
        Assert.Empty(mismatches);
    }

    private static string Diff(string a, string b)
    {
        var left = a.Split('\n').ToHashSet(StringComparer.Ordinal);
        var right = b.Split('\n').ToHashSet(StringComparer.Ordinal);
        var text = new StringBuilder();
        left.Except(right).ToList().ForEach(l => text.AppendLine($"  cedar: {l}"));
        right.Except(left).ToList().ForEach(l => text.AppendLine($"  json:  {l}"));
        return text.ToString();
    }
}
