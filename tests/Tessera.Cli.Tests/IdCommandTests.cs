namespace Tessera.Cli.Tests;

public sealed class IdCommandTests
{
    [Fact]
    public async Task IdParse_ValidId_PrintsParts()
    {
        var result = await TesseraProcess.RunAsync("id", "parse", "spiffe://example.org/ns/prod");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("trust domain: example.org", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("segments:     ns, prod", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdParse_InvalidId_ExitsTwoNamingTheRule()
    {
        var result = await TesseraProcess.RunAsync("id", "parse", "spiffe://example.org/a/../b");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("invalid SPIFFE ID: path cannot contain dot segments '.' or '..' (SPIFFE-ID §2.2)", result.StdErr.Trim());
    }
}
