namespace Tessera.Cli.Tests;

public sealed class DevX509SvidCommandTests
{
    [Fact]
    public async Task DevX509Svid_NewDirectory_WritesSvidThatOpensslVerifies()
    {
        using var dir = new TempDirectory();

        var result = await TesseraProcess.RunAsync("dev", "x509-svid", "--id", "spiffe://example.org/demo", "--out", dir.Path, "--ttl", "10m");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("issued spiffe://example.org/demo", result.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", result.StdOut, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("svid.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("ca.key")));
        var verify = await ExternalTool.RunAsync("openssl", ["verify", "-CAfile", dir.File("bundle.pem"), dir.File("svid.pem")]);
        Assert.Equal(0, verify.ExitCode);
        Assert.Contains(": OK", verify.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevX509Svid_ExistingCaOfOtherTrustDomain_RefusesAndKeepsFiles()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await TesseraProcess.RunAsync("dev", "x509-svid", "--id", "spiffe://example.org/a", "--out", dir.Path)).ExitCode);
        var before = await File.ReadAllTextAsync(dir.File("svid.pem"));

        var result = await TesseraProcess.RunAsync("dev", "x509-svid", "--id", "spiffe://other.org/a", "--out", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is the CA of trust domain 'example.org', not 'other.org'", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(dir.File("svid.pem")));
    }

    [Theory]
    [InlineData("spiffe://example.org", "5m", "--id: a leaf X509-SVID's SPIFFE ID must have a path (X509-SVID §3.1), e.g. spiffe://example.org/demo")]
    [InlineData("spiffe://example.org/a/", "5m", "--id: invalid SPIFFE ID: path cannot have a trailing slash (SPIFFE-ID §2.2)")]
    [InlineData("spiffe://example.org/a", "5y", "--ttl: '5y' has an unknown unit 'y'; use s, m, h or d")]
    [InlineData("spiffe://example.org/a", "-5m", "--ttl: '-5m' is not a duration; write a positive whole number and a unit, e.g. 90s, 5m, 1h or 7d")]
    public async Task DevX509Svid_BadArguments_ExitsTwoNamingTheProblem(string id, string ttl, string expected)
    {
        using var dir = new TempDirectory();

        var result = await TesseraProcess.RunAsync("dev", "x509-svid", "--id", id, "--out", dir.Path, "--ttl", ttl);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(expected, result.StdErr.Trim());
        Assert.False(File.Exists(dir.File("svid.pem")));
    }

    [Fact]
    public async Task DevX509Svid_CorruptCaKey_ExitsTwoWithoutCrash()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await TesseraProcess.RunAsync("dev", "x509-svid", "--id", "spiffe://example.org/a", "--out", dir.Path)).ExitCode);
        await File.WriteAllTextAsync(dir.File("ca.key"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        var result = await TesseraProcess.RunAsync("dev", "x509-svid", "--id", "spiffe://example.org/a", "--out", dir.Path);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("--out: an existing file there is unusable (", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }
}
