namespace Tessera.Cli.Tests.Policy;

/// <summary><c>tessera policy test</c> over the policies, entities and schema of <see cref="PolicyCommandTests"/>.</summary>
public sealed class PolicyTestCommandTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Test_AllCasesPass_ExitsZeroWithSummary()
    {
        var cases = """
            [{"name": "admin with mfa reads", "principal": "User::\"alice\"", "action": "Action::\"read\"", "resource": "Doc::\"d\"",
              "context": {"mfa": true}, "decision": "allow", "reasons": ["policy1"]},
             {"name": "negative level is forbidden", "principal": {"type": "User", "id": "bob"}, "action": "Action::\"read\"",
              "resource": "Doc::\"d\"", "context": {"mfa": false}, "decision": "deny"}]
            """;
        var result = await RunAsync(cases, withSchema: true);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["PASS admin with mfa reads", "PASS negative level is forbidden", "2 passed, 0 failed (2 cases)"], Lines(result.StdOut));
    }

    [Fact]
    public async Task Test_WrongDecisionAndWrongReasons_ExitsOneNamingEach()
    {
        var cases = """
            [{"name": "alice", "principal": "User::\"alice\"", "action": "Action::\"read\"", "resource": "Doc::\"d\"", "context": {"mfa": true}, "decision": "deny"},
             {"name": "bob", "principal": "User::\"bob\"", "action": "Action::\"read\"", "resource": "Doc::\"d\"", "context": {"mfa": true},
              "decision": "deny", "reasons": ["policy0", "policy2"]},
             {"name": "nobody", "principal": "User::\"carol\"", "action": "Action::\"read\"", "resource": "Doc::\"d\"", "decision": "deny"}]
            """;
        var result = await RunAsync(cases, withSchema: false);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "FAIL alice: expected deny, got allow (reasons: policy1)",
                "FAIL bob: expected deny (reasons: policy0, policy2), got deny (reasons: policy2)",
                // carol is not in the entities: `principal.level` errs, so the forbid is skipped and reported.
                "PASS nobody",
                "1 passed, 2 failed (3 cases)",
            ],
            Lines(result.StdOut));
    }

    [Fact]
    public async Task Test_ErroringPolicy_FailLineListsErrors()
    {
        var cases = """[{"name": "carol", "principal": "User::\"carol\"", "action": "Action::\"read\"", "resource": "Doc::\"d\"", "decision": "allow"}]""";
        var result = await RunAsync(cases, withSchema: false);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("FAIL carol: expected allow, got deny (reasons: none; errors: policy2: ", Lines(result.StdOut)[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_MalformedCases_ExitsTwoNamingFileCaseAndField()
    {
        var cases = """
            [{"name": "no decision", "principal": "User::\"alice\"", "action": "Action::\"read\"", "resource": "Doc::\"d\""},
             {"name": "bad principal", "principal": "alice", "action": "Action::\"read\"", "resource": "Doc::\"d\"", "decision": "maybe", "extra": 1},
             {"name": "bad context", "principal": "User::\"alice\"", "action": "Action::\"read\"", "resource": "Doc::\"d\"", "context": {"mfa": 1}, "decision": "allow"},
             {"name": "bad request", "principal": "Doc::\"d\"", "action": "Action::\"read\"", "resource": "Doc::\"d\"", "context": {"mfa": true}, "decision": "allow"},
             "not a case"]
            """;
        var result = await RunAsync(cases, withSchema: true);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StdOut);
        Assert.Equal(
            [
                "--tests: t.json: case 0, field \"decision\": required: \"allow\" or \"deny\"",
                "--tests: t.json: case 1, field \"extra\": unknown field (expected one of name, principal, action, resource, context, decision, reasons)",
                "--tests: t.json: case 1, field \"principal\": `\"alice\"` is not an entity UID such as \"User::\\\"alice\\\"\" or {\"type\": \"User\", \"id\": \"alice\"}",
                "--tests: t.json: case 1, field \"decision\": required: \"allow\" or \"deny\"",
                "--tests: t.json: case 2: request refused by the schema: context is not valid for `Action::\"read\"`: context.mfa should have type Bool, found long",
                "--tests: t.json: case 3: request refused by the schema: principal type `Doc` is not valid for `Action::\"read\"` (valid principal types: `User`)",
                "--tests: t.json: case 4: expected an object, found String",
            ],
            Lines(result.StdErr));
    }

    [Fact]
    public async Task Test_NotAnArray_ExitsTwo()
    {
        var result = await RunAsync("""{"name": "x"}""", withSchema: false);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("--tests: t.json: expected a JSON array of test cases", result.StdErr.Trim());
    }

    private static string[] Lines(string text) => text.Trim().Split('\n');

    private Task<ExternalTool.Result> RunAsync(string cases, bool withSchema)
    {
        string[] schema = withSchema ? ["--schema", Write("s.cedarschema", PolicyCommandTests.Schema)] : [];
        return TesseraProcess.RunAsync(
            [
                "policy", "test", "--policies", Write("p.cedar", PolicyCommandTests.Policies), "--entities", Write("e.json", PolicyCommandTests.Entities),
                "--tests", Write("t.json", cases), .. schema,
            ]);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_temp.Path, name);
        File.WriteAllText(path, content);
        return path;
    }
}
