using System.CommandLine;
using Tessera.Cli.Drill;

namespace Tessera.Cli.Tests.Drill;

public sealed class DrillOptionsTests
{
    private const string Socket = "unix:///tmp/agent.sock";

    [Fact]
    public void Resolve_Defaults()
    {
        var (settings, problems) = Resolve("--socket", Socket);

        Assert.Empty(problems);
        Assert.Equal(TimeSpan.FromSeconds(2), settings!.Bound);
        Assert.Equal(3, settings.Rounds);
        Assert.Equal(5, settings.Kinds.Count);
        Assert.Equal("/tmp/agent.sock", settings.WorkloadSocket);
        Assert.Null(settings.ParentId);
        Assert.Null(settings.CrlSource);
        Assert.False(settings.NoCrl);
        Assert.False(settings.Json);
        Assert.Equal(TimeSpan.FromSeconds(7), settings.Watch);
    }

    [Fact]
    public void Resolve_AllFlags()
    {
        var (settings, problems) = Resolve("--socket", Socket, "--admin-socket", "/run/admin.sock", "--parent-id", "spiffe://example.org/agent/a",
            "--bound", "500ms", "--rounds", "7", "--kinds", "jwt-id", "--server-crl", "http://127.0.0.1:8090/crl", "--json");

        Assert.Empty(problems);
        Assert.Equal("/run/admin.sock", settings!.AdminSocket);
        Assert.Equal("spiffe://example.org/agent/a", settings.ParentId.ToString());
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.Bound);
        Assert.Equal(7, settings.Rounds);
        Assert.Equal("jwt-id", Assert.Single(settings.Kinds).Name);
        Assert.Equal("http://127.0.0.1:8090/crl", settings.CrlSource);
        Assert.True(settings.Json);
    }

    [Theory]
    [InlineData("--bound", "0s", "--bound: '0s' is not a duration; write a positive whole number and a unit, e.g. 90s, 5m, 1h or 7d")]
    [InlineData("--bound", "0ms", "--bound: '0ms' is not a duration; write a positive whole number and a unit, e.g. 500ms, 2s or 1m")]
    [InlineData("--bound", "6m", "--bound: give at most 5m")]
    [InlineData("--rounds", "0", "--rounds: give a number from 1 to 100")]
    [InlineData("--rounds", "101", "--rounds: give a number from 1 to 100")]
    [InlineData("--parent-id", "agent-1", "--parent-id: 'agent-1' is not a SPIFFE ID (spiffe://trust-domain/path)")]
    [InlineData("--server-crl", "ftp://host/crl", "--server-crl: 'ftp://host/crl' is neither an http(s) URL nor a file path")]
    [InlineData("--kinds", "ca", "--kinds: unknown kind 'ca' (known: svid-serial, svid-id, jwt-jti, jwt-id, entry-delete)")]
    public void Resolve_BadFlag_ExactProblem(string flag, string value, string expected)
    {
        var (settings, problems) = Resolve("--socket", Socket, flag, value);

        Assert.Null(settings);
        Assert.Equal(expected, Assert.Single(problems));
    }

    [Fact]
    public void Resolve_BadBoundSyntax_NamesTheFlag()
    {
        var (settings, problems) = Resolve("--socket", Socket, "--bound", "soon");

        Assert.Null(settings);
        Assert.StartsWith("--bound: ", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_CrlAndNoCrl_ExactProblem()
    {
        var (settings, problems) = Resolve("--socket", Socket, "--server-crl", "/srv/crl.pem", "--no-crl");

        Assert.Null(settings);
        Assert.Equal("give at most one of --server-crl and --no-crl", Assert.Single(problems));
    }

    [Fact]
    public void Resolve_SeveralProblems_AllReported()
    {
        var (_, problems) = Resolve("--socket", Socket, "--rounds", "0", "--parent-id", "x", "--bound", "0s");

        Assert.Equal(3, problems.Count);
    }

    private static (DrillSettings? Settings, List<string> Problems) Resolve(params string[] arguments)
    {
        var options = new DrillOptions();
        var command = new Command("revocation");
        options.AddTo(command);
        var problems = new List<string>();
        return (options.Resolve(command.Parse(arguments), problems), problems);
    }
}
