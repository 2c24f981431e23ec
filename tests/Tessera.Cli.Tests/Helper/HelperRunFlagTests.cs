namespace Tessera.Cli.Tests.Helper;

/// <summary><c>tessera helper run</c> refuses unusable flag combinations before touching the Workload API, with exact messages.</summary>
public sealed class HelperRunFlagTests
{
    [Theory]
    [InlineData("--cmd and --signal cannot be used together: give one way to reload the program", "--write", "out", "--cmd", "true", "--signal", "HUP", "--pid-file", "p")]
    [InlineData("--signal: unknown signal 'BOGUS' (known: HUP, INT, QUIT, USR1, USR2, TERM, WINCH)", "--write", "out", "--signal", "BOGUS", "--pid-file", "p")]
    [InlineData("--signal needs --pid-file: the file holding the pid of the program to signal", "--write", "out", "--signal", "SIGHUP")]
    [InlineData("--pid-file needs --signal: the signal to send to that pid", "--write", "out", "--pid-file", "p")]
    [InlineData("--jwt-audience and --jwt-file go together: the audience of the token and the file to write it to", "--jwt-audience", "db")]
    [InlineData("nothing to write: give --write DIR, --jwt-audience AUD --jwt-file F, or both")]
    [InlineData("--spiffe-id: 'web' is not a SPIFFE ID (spiffe://trust-domain/path)", "--write", "out", "--spiffe-id", "web")]
    public async Task Run_BadFlags_ExitsTwoWithExactMessage(string message, params string[] flags)
    {
        var result = await TesseraProcess.RunAsync(["helper", "run", .. flags, "--socket", "/nonexistent/api.sock"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message + "\n", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task Run_NoAgent_ExitsThreeNamingTheSocket()
    {
        using var dir = new TempDirectory();
        var result = await TesseraProcess.RunAsync("helper", "run", "--write", dir.Path, "--socket", Path.Combine(dir.Path, "api.sock"), "--timeout", "1s");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains(Path.Combine(dir.Path, "api.sock"), result.StdErr, StringComparison.Ordinal);
    }
}
