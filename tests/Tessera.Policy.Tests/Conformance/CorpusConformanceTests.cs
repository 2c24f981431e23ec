using Xunit.Abstractions;

namespace Tessera.Policy.Tests.Conformance;

/// <summary>
/// The official Cedar conformance corpus (cedar-integration-tests, generated from Cedar 4.10) and its
/// hand-written scenarios. Counts go to the test output; the floors below record what this implementation
/// achieves so that a regression fails CI. Raise them as conformance improves, never lower them.
/// </summary>
public sealed class CorpusConformanceTests(ITestOutputHelper output)
{
    /// <summary>Requests of the generated corpus that must pass (of about 62,000).</summary>
    private const int CorpusRequestFloor = 62_472;

    /// <summary>Hand-written scenarios (tests/&lt;folder&gt;/&lt;n&gt;.json) that pass completely and must keep passing.</summary>
    private static readonly string[] PassingHandWrittenScenarios =
    [
        "decimal/1.json", "decimal/2.json",
        "example_use_cases/1a.json", "example_use_cases/2a.json", "example_use_cases/2b.json", "example_use_cases/2c.json",
        "example_use_cases/3a.json", "example_use_cases/3b.json", "example_use_cases/3c.json", "example_use_cases/4a.json",
        "example_use_cases/4d.json", "example_use_cases/4e.json", "example_use_cases/4f.json", "example_use_cases/5b.json",
        "ip/1.json", "ip/2.json", "ip/3.json",
        "multi/1.json", "multi/2.json", "multi/3.json", "multi/4.json", "multi/5.json",
    ];

    [Fact]
    public void GeneratedCorpus_AllScenarios_MeetRecordedFloor()
    {
        var archive = Path.Combine(CorpusRunner.CorpusRoot, "corpus-tests.tar.gz");
        if (!File.Exists(archive))
        {
            output.WriteLine($"SKIPPED: conformance corpus not found at {archive}");
            return;
        }

        using var temp = new TempDirectory();
        CorpusRunner.Unpack(archive, temp.Path);
        var scenarioFiles = Directory.GetFiles(Path.Combine(temp.Path, "corpus-tests"), "*.json")
            .Where(f => !f.EndsWith(".entities.json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        int scenarios = 0, scenariosPassed = 0, requests = 0, requestsPassed = 0, schemaFailures = 0;
        var failures = new List<string>();
        foreach (var file in scenarioFiles)
        {
            var scenario = CorpusRunner.Load(file, temp.Path);
            var (passed, scenarioFailures, schemaParsed) = CorpusRunner.Run(scenario);
            schemaFailures += schemaParsed ? 0 : 1;
            scenarios++;
            requests += scenario.Requests.Count;
            requestsPassed += passed;
            scenariosPassed += scenarioFailures.Count == 0 ? 1 : 0;
            failures.AddRange(scenarioFailures);
        }

        output.WriteLine($"corpus: {scenariosPassed}/{scenarios} scenarios, {requestsPassed}/{requests} requests pass; {schemaFailures} schemas not parsed (read without schema)");
        foreach (var failure in failures.Take(50))
        {
            output.WriteLine(failure);
        }

        var dump = Environment.GetEnvironmentVariable("TESSERA_CEDAR_FAILURES");
        if (!string.IsNullOrEmpty(dump))
        {
            File.WriteAllLines(dump, [$"corpus: {scenariosPassed}/{scenarios} scenarios, {requestsPassed}/{requests} requests, {schemaFailures} schema failures", .. failures]);
        }

        Assert.True(scenarios > 7000, $"expected the full corpus, found {scenarios} scenarios");
        Assert.Equal(0, schemaFailures);
        Assert.True(requestsPassed >= CorpusRequestFloor, $"{requestsPassed} corpus requests pass; the recorded floor is {CorpusRequestFloor}");
    }

    [Fact]
    public void HandWrittenScenarios_RecordedPassingOnes_StillPass()
    {
        var testsFolder = Path.Combine(CorpusRunner.CorpusRoot, "tests");
        if (!Directory.Exists(testsFolder))
        {
            output.WriteLine($"SKIPPED: hand-written scenarios not found at {testsFolder}");
            return;
        }

        var passing = new List<string>();
        foreach (var file in Directory.GetFiles(testsFolder, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(testsFolder, file).Replace('\\', '/');
            var scenario = CorpusRunner.Load(file, CorpusRunner.CorpusRoot);
            var (passed, failures, _) = CorpusRunner.Run(scenario);
            output.WriteLine($"{name}: {passed}/{scenario.Requests.Count} requests pass");
            failures.ForEach(f => output.WriteLine("  " + f));
            if (failures.Count == 0)
            {
                passing.Add(name);
            }
        }

        output.WriteLine($"passing: {string.Join(", ", passing.Select(p => $"\"{p}\""))}");
        Assert.Empty(PassingHandWrittenScenarios.Except(passing));
    }
}
