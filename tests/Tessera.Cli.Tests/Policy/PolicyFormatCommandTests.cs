namespace Tessera.Cli.Tests.Policy;

public sealed class PolicyFormatCommandTests : IDisposable
{
    private const string Unformatted = """
        // who may read
        @id("read")
        permit(principal in Team::"admins",action==Action::"read",resource) when {context.mfa&&(principal.level>1||principal.level<-1)}; // MFA
        // end of file
        """;

    private const string Formatted = """
        // who may read
        @id("read")
        permit (
          principal in Team::"admins",
          action == Action::"read",
          resource
        )
        when { context.mfa && (principal.level > 1 || principal.level < -1) }; // MFA
        // end of file

        """;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Format_NoFlags_PrintsFormattedPoliciesAndLeavesFile()
    {
        var path = Write("p.cedar", Unformatted);
        var result = await TesseraProcess.RunAsync("policy", "format", "--policies", path);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Formatted.ReplaceLineEndings("\n"), result.StdOut.ReplaceLineEndings("\n"));
        Assert.Equal(Unformatted, File.ReadAllText(path));
    }

    [Fact]
    public async Task Format_CheckOnUnformattedFile_ExitsOne()
    {
        var result = await TesseraProcess.RunAsync("policy", "format", "--check", "--policies", Write("p.cedar", Unformatted));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("p.cedar: not formatted (run `tessera policy format --write --policies p.cedar`)", result.StdErr.Trim());
    }

    [Fact]
    public async Task Format_WriteThenCheck_RewritesFileKeepingModeAndPasses()
    {
        var path = Write("p.cedar", Unformatted);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        var write = await TesseraProcess.RunAsync("policy", "format", "--write", "--policies", path);
        Assert.Equal(0, write.ExitCode);
        Assert.Equal("p.cedar: formatted", write.StdOut.Trim());
        Assert.Equal(Formatted.ReplaceLineEndings("\n"), File.ReadAllText(path));
        Assert.Equal(["p.cedar"], Directory.GetFiles(_temp.Path).Select(Path.GetFileName));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        }

        var check = await TesseraProcess.RunAsync("policy", "format", "--check", "--policies", path);
        Assert.Equal(0, check.ExitCode);
        var again = await TesseraProcess.RunAsync("policy", "format", "--write", "--policies", path);
        Assert.Equal("p.cedar: already formatted", again.StdOut.Trim());
    }

    [Fact]
    public async Task Format_CheckWithCommentOutOfPlace_ExitsOne()
    {
        var formatted = await TesseraProcess.RunAsync("policy", "format", "--check", "--policies", Write("ok.cedar", Formatted));
        Assert.Equal(0, formatted.ExitCode);
        Assert.Equal(string.Empty, formatted.StdErr.Trim());

        // The policy is formatted; only the comment is indented where the formatter would not put it.
        var result = await TesseraProcess.RunAsync("policy", "format", "--check", "--policies", Write("p.cedar", "  " + Formatted));
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("p.cedar: not formatted (run `tessera policy format --write --policies p.cedar`)", result.StdErr.Trim());
    }

    [Fact]
    public async Task Format_UnparsablePolicies_ExitsTwoWithPosition()
    {
        var result = await TesseraProcess.RunAsync("policy", "format", "--check", "--policies", Write("p.cedar", "permit(principal action, resource);"));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("--policies: p.cedar: line 1, column 18: unexpected `action`, expected `,`", result.StdErr.Trim());
    }

    [Fact]
    public async Task Format_CheckAndWrite_ExitsTwo()
    {
        var result = await TesseraProcess.RunAsync("policy", "format", "--check", "--write", "--policies", Write("p.cedar", Formatted));
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("--check and --write cannot be used together", result.StdErr.Trim());
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_temp.Path, name);
        File.WriteAllText(path, content);
        return path;
    }
}
