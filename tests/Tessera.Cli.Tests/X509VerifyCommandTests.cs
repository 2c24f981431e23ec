namespace Tessera.Cli.Tests;

public sealed class X509VerifyCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync()
    {
        var result = await TesseraProcess.RunAsync("dev", "x509-svid", "--id", "spiffe://example.org/web", "--out", _dir.Path, "--ttl", "10m");
        Assert.Equal(0, result.ExitCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Verify_ValidSvidAndPemBundle_ExitsZeroWithId()
    {
        var result = await TesseraProcess.RunAsync("x509", "verify", "--svid", _dir.File("svid.pem"), "--bundle", _dir.File("bundle.pem"));

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("OK spiffe://example.org/web", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OtherTrustDomain_ExitsOneBundleNotFound()
    {
        var result = await TesseraProcess.RunAsync("x509", "verify", "--svid", _dir.File("svid.pem"), "--bundle", _dir.File("bundle.pem"), "--trust-domain", "other.org");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("REJECTED (BundleNotFound): no X.509 bundle found for trust domain 'example.org'", result.StdOut.Trim());
    }

    [Fact]
    public async Task Verify_AfterExpiry_ExitsOneExpired()
    {
        var result = await TesseraProcess.RunAsync("x509", "verify", "--svid", _dir.File("svid.pem"), "--bundle", _dir.File("bundle.pem"), "--at", "2099-01-01T00:00:00Z");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("REJECTED (Expired): certificate 1 of the path expired at ", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_CaCertificateAsSvid_ExitsOneLeafIdWithoutPath()
    {
        var result = await TesseraProcess.RunAsync("x509", "verify", "--svid", _dir.File("ca.pem"), "--bundle", _dir.File("bundle.pem"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("REJECTED (LeafIdWithoutPath)", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_UnknownRoot_ExitsOneUnknownAuthority()
    {
        using var other = new TempDirectory();
        Assert.Equal(0, (await TesseraProcess.RunAsync("dev", "x509-svid", "--id", "spiffe://example.org/x", "--out", other.Path)).ExitCode);

        var result = await TesseraProcess.RunAsync("x509", "verify", "--svid", _dir.File("svid.pem"), "--bundle", other.File("bundle.pem"));

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("REJECTED (UnknownAuthority)", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_KeyFileAsBundle_ExitsTwoWithoutEchoingTheKey()
    {
        var result = await TesseraProcess.RunAsync("x509", "verify", "--svid", _dir.File("svid.pem"), "--bundle", _dir.File("svid.key"));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("--bundle: svid.key: bundle contains no certificate", result.StdErr.Trim());
        Assert.DoesNotContain("PRIVATE KEY", result.StdErr + result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MissingFile_ExitsTwoNamingTheOption()
    {
        var result = await TesseraProcess.RunAsync("x509", "verify", "--svid", _dir.File("missing.pem"), "--bundle", _dir.File("bundle.pem"));

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith($"--svid: cannot read {_dir.File("missing.pem")}", result.StdErr.Trim(), StringComparison.Ordinal);
    }
}
