using System.CommandLine;
using Tessera.Cli.Internal;
using Tessera.Policy.Authorization;
using Tessera.Policy.Schema;

namespace Tessera.Cli.Policy;

/// <summary>
/// <c>tessera policy test --policies F --entities F --tests F [--schema F]</c>: decides every case of a test file
/// (see <see cref="PolicyTestFile"/>) and prints <c>PASS name</c> or <c>FAIL name: …</c> per case and a summary,
/// so teams keep their policies under test in their own CI. Exits 0 when every case passes, 1 when any fails,
/// 2 on unusable input — every problem of the test file is listed with its case index and field, and no case runs.
/// </summary>
internal static class PolicyTestCommand
{
    public static Command Create()
    {
        var policiesOption = new Option<FileInfo>("--policies") { Description = "Cedar policy file", Required = true };
        var entitiesOption = new Option<FileInfo>("--entities") { Description = "entities in Cedar's JSON format", Required = true };
        var testsOption = new Option<FileInfo>("--tests") { Description = "JSON array of cases: {name, principal, action, resource, context?, decision: allow|deny, reasons?: [policy ids]}", Required = true };
        var schemaOption = new Option<FileInfo>("--schema") { Description = "schema file (Cedar syntax, or JSON if it ends in .json): validates entities, contexts and requests" };
        var command = new Command("test", "Run a file of requests with their expected decisions against Cedar policies.")
        {
            policiesOption, entitiesOption, testsOption, schemaOption,
        };
        command.SetAction(result =>
        {
            CedarSchema? schema = null;
            var testsFile = result.GetValue(testsOption)!;
            if ((result.GetValue(schemaOption) is { } schemaFile && !PolicyFiles.TryReadSchema(schemaFile, out schema))
                || !PolicyFiles.TryReadPolicies(result.GetValue(policiesOption)!, out var policies)
                || !PolicyFiles.TryReadEntities(result.GetValue(entitiesOption)!, schema, out var entities)
                || !InputFiles.TryReadText(testsFile, "--tests", Console.Error, out var json))
            {
                return ExitCodes.BadInput;
            }

            var problems = new List<string>();
            var cases = PolicyTestFile.Read(json, schema, problems);
            if (problems.Count > 0)
            {
                problems.ForEach(p => Console.Error.WriteLine($"--tests: {testsFile.Name}: {p}"));
                return ExitCodes.BadInput;
            }

            var failed = 0;
            foreach (var testCase in cases)
            {
                var response = policies.IsAuthorized(testCase.Request, entities);
                var problem = Check(testCase, response);
                failed += problem is null ? 0 : 1;
                Console.WriteLine(problem is null ? $"PASS {testCase.Name}" : $"FAIL {testCase.Name}: {problem}");
            }

            Console.WriteLine($"{cases.Count - failed} passed, {failed} failed ({cases.Count} cases)");
            return failed == 0 ? ExitCodes.Ok : ExitCodes.Rejected;
        });
        return command;
    }

    private static string? Check(PolicyTestCase testCase, AuthorizationResponse response)
    {
        var reasonsMatch = testCase.Reasons is null || testCase.Reasons.SetEquals(response.Reasons);
        if (response.Decision == testCase.Decision && reasonsMatch)
        {
            return null;
        }

        var expected = Name(testCase.Decision) + (testCase.Reasons is null ? string.Empty : $" (reasons: {List(testCase.Reasons.Order(StringComparer.Ordinal))})");
        var errors = response.Errors.Count == 0 ? string.Empty : $"; errors: {string.Join("; ", response.Errors.Select(e => $"{e.PolicyId}: {e.Message}"))}";
        return $"expected {expected}, got {Name(response.Decision)} (reasons: {List(response.Reasons)}{errors})";
    }

    private static string Name(Decision decision) => decision == Decision.Allow ? "allow" : "deny";

    private static string List(IEnumerable<string> ids) => ids.Any() ? string.Join(", ", ids) : "none";
}
