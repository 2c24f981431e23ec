namespace Tessera.Cli.Tests;

public sealed class ServerRunConfigTests
{
    [Fact]
    public async Task ServerRun_InvalidConfiguration_ExitsTwoListingEveryProblem()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("server.yaml"), "trust_domain: Example.org\nca_ttl: 1h\nx509_svid_ttl: 2h\nfrobnicate: yes\n");

        var result = await TesseraProcess.RunAsync("server", "run", "--config", dir.File("server.yaml"), "--data-dir", dir.File("data"), "--datastore", "mysql");

        Assert.Equal(2, result.ExitCode);
        var expected = new[]
        {
            "invalid server configuration:",
            $"  - config file '{dir.File("server.yaml")}': unknown setting 'frobnicate'",
            "  - trust_domain: trust domain must be lower case (SPIFFE-ID §2.1)",
            "  - datastore: 'mysql' is not one of sqlite, postgres",
            "  - x509_svid_ttl: 2h must be shorter than ca_ttl (1h) so SVIDs never outlive their CA",
        };
        Assert.Equal(expected, result.StdErr.Trim().Split('\n'));
        Assert.False(Directory.Exists(dir.File("data")));
    }

    [Fact]
    public async Task AdminVerb_NoServer_ExitsThreeNamingTheSocket()
    {
        using var dir = new TempDirectory();

        var result = await TesseraProcess.RunAsync("entry", "count", "--socket", dir.File("admin.sock"));

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"no admin socket at {dir.File("admin.sock")}", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EntryCreate_MalformedSelector_ExitsTwoBeforeContactingTheServer()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("admin.sock"), string.Empty);

        var result = await TesseraProcess.RunAsync("entry", "create", "--socket", dir.File("admin.sock"), "--selector", "unix", "--selector", "k8s:");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["--selector: 'unix' is not type:value (e.g. unix:uid:1001)", "--selector: 'k8s:' is not type:value (e.g. unix:uid:1001)"], result.StdErr.Trim().Split('\n'));
    }
}
