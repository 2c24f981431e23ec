namespace Tessera.Cli.Tests;

public sealed class CliHelpTests
{
    [Fact]
    public async Task Help_NoArguments_DescribesTessera()
    {
        var result = await TesseraProcess.RunAsync("--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Tessera", result.StdOut, StringComparison.Ordinal);
    }
}
