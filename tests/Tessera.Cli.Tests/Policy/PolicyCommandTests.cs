namespace Tessera.Cli.Tests.Policy;

public sealed class PolicyCommandTests : IDisposable
{
    internal const string Schema = """
        entity Team;
        entity User in [Team] { level: Long, nick?: String };
        entity Doc { owner: User };
        action read appliesTo { principal: [User], resource: [Doc], context: { mfa: Bool } };
        """;

    internal const string Policies = """
        permit(principal, action == Action::"read", resource) when { resource.owner == principal };
        permit(principal in Team::"admins", action == Action::"read", resource) when { context.mfa };
        forbid(principal, action, resource) when { principal.level < 0 };
        """;

    internal const string Entities = """
        [{"uid": {"type": "User", "id": "alice"}, "attrs": {"level": 1}, "parents": [{"type": "Team", "id": "admins"}]},
         {"uid": {"type": "User", "id": "bob"}, "attrs": {"level": -1}, "parents": []},
         {"uid": {"type": "Team", "id": "admins"}, "attrs": {}, "parents": []},
         {"uid": {"type": "Doc", "id": "d"}, "attrs": {"owner": {"type": "User", "id": "bob"}}, "parents": []}]
        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Validate_ValidPolicies_ExitsZero()
    {
        var result = await TesseraProcess.RunAsync("policy", "validate", "--policies", Write("p.cedar", Policies), "--schema", Write("s.cedarschema", Schema));
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("valid: 3 policies", result.StdOut.Trim());
    }

    [Fact]
    public async Task Validate_JsonSchemaAndBadPolicies_ExitsOneListingErrors()
    {
        var json = """
            {"": {"entityTypes": {"User": {"shape": {"type": "Record", "attributes": {"nick": {"type": "String", "required": false}}}}},
                  "actions": {"read": {"appliesTo": {"principalTypes": ["User"], "resourceTypes": ["User"]}}}}}
            """;
        var policies = """
            permit(principal, action, resource) when { principal.nick == "x" };
            permit(principal == Usr::"a", action, resource);
            """;
        var result = await TesseraProcess.RunAsync("policy", "validate", "--policies", Write("p.cedar", policies), "--schema", Write("s.json", json));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(
            [
                "policy0: unable to guarantee safety of access to optional attribute `nick` on entity type `User`",
                "policy1: unrecognized entity type `Usr`",
                "invalid: 2 error(s) in 2 policies",
            ],
            result.StdOut.Trim().Split('\n'));
    }

    [Fact]
    public async Task Validate_UnparsablePolicies_ExitsTwoWithPosition()
    {
        var result = await TesseraProcess.RunAsync("policy", "validate", "--policies", Write("p.cedar", "permit(principal action, resource);"), "--schema", Write("s.cedarschema", Schema));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("--policies: p.cedar: line 1, column 18: unexpected `action`, expected `,`", result.StdErr.Trim());
    }

    [Fact]
    public async Task Authorize_AllowedRequest_ExitsZeroWithReasons()
    {
        var result = await Authorize("User::\"alice\"", """{"mfa": true}""", withSchema: true);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["decision: allow", "reasons: policy1", "errors: (none)"], result.StdOut.Trim().Split('\n'));
    }

    [Fact]
    public async Task Authorize_ForbiddenRequest_ExitsOne()
    {
        var result = await Authorize("User::\"bob\"", """{"mfa": false}""", withSchema: false);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(["decision: deny", "reasons: policy2", "errors: (none)"], result.StdOut.Trim().Split('\n'));
    }

    [Fact]
    public async Task Authorize_RequestRefusedBySchema_ExitsTwo()
    {
        var result = await Authorize("User::\"alice\"", """{"mfa": 1}""", withSchema: true);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("invalid request: context is not valid for `Action::\"read\"`: context.mfa should have type Bool, found long", result.StdErr.Trim());
    }

    [Fact]
    public async Task Authorize_BadPrincipal_ExitsTwo()
    {
        var result = await Authorize("alice", "{}", withSchema: false);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("--principal: `alice` is not an entity UID such as User::\"alice\"", result.StdErr.Trim());
    }

    [Fact]
    public async Task IsAuthorizedAlias_AllowedRequest_DecidesLikeAuthorize()
    {
        var result = await Authorize("User::\"alice\"", """{"mfa": true}""", withSchema: true, verb: "is-authorized");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(["decision: allow", "reasons: policy1", "errors: (none)"], result.StdOut.Trim().Split('\n'));
    }

    private Task<ExternalTool.Result> Authorize(string principal, string context, bool withSchema, string verb = "authorize")
    {
        string[] schema = withSchema ? ["--schema", Write("s.cedarschema", Schema)] : [];
        return TesseraProcess.RunAsync(
            [
                "policy", verb, "--policies", Write("p.cedar", Policies), "--entities", Write("e.json", Entities),
                "--principal", principal, "--action", "Action::\"read\"", "--resource", "Doc::\"d\"", "--context", Write("c.json", context), .. schema,
            ]);
    }

    private string Write(string name, string content)
    {
        var path = System.IO.Path.Combine(_temp.Path, name);
        File.WriteAllText(path, content);
        return path;
    }
}
