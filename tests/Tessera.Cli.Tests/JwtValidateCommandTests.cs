namespace Tessera.Cli.Tests;

public sealed class JwtValidateCommandTests : IAsyncLifetime, IDisposable
{
    private const string Audience = "spiffe://example.org/reports";
    private readonly TempDirectory _dir = new();

    public async Task InitializeAsync()
    {
        var result = await TesseraProcess.RunAsync("dev", "jwt-svid", "--id", "spiffe://example.org/web", "--audience", Audience, "--out", _dir.Path);
        Assert.Equal(0, result.ExitCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task DevJwtSvid_Mints_NeverPrintsTokenAndWritesItPrivately()
    {
        var token = (await File.ReadAllTextAsync(_dir.File("token.jwt"))).Trim();
        var again = await TesseraProcess.RunAsync("dev", "jwt-svid", "--id", "spiffe://example.org/web", "--audience", Audience, "--out", _dir.Path);

        Assert.Equal(3, token.Split('.').Length);
        Assert.DoesNotContain(token.Split('.')[2], again.StdOut, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("token.jwt")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir.File("jwt.key")));
    }

    [Fact]
    public async Task Validate_RightAudience_ExitsZeroWithSubject()
    {
        var result = await TesseraProcess.RunAsync("jwt", "validate", "--token", _dir.File("token.jwt"), "--bundle", _dir.File("bundle.json"), "--audience", Audience);

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("OK spiffe://example.org/web", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_WrongAudience_ExitsOneAudienceMismatch()
    {
        var result = await TesseraProcess.RunAsync("jwt", "validate", "--token", _dir.File("token.jwt"), "--bundle", _dir.File("bundle.json"), "--audience", "billing");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"REJECTED (AudienceMismatch): token audience ['{Audience}'] does not contain 'billing' (JWT-SVID §3.2)", result.StdOut.Trim());
    }

    [Fact]
    public async Task Validate_BundleOfOtherTrustDomain_ExitsOneBundleNotFound()
    {
        var result = await TesseraProcess.RunAsync("jwt", "validate", "--token", _dir.File("token.jwt"), "--bundle", _dir.File("bundle.json"), "--audience", Audience, "--trust-domain", "other.org");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("REJECTED (BundleNotFound)", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_TamperedSignature_ExitsOneInvalidSignature()
    {
        var token = (await File.ReadAllTextAsync(_dir.File("token.jwt"))).Trim();
        var parts = token.Split('.');
        var flipped = parts[2][0] == 'A' ? 'B' : 'A';
        await File.WriteAllTextAsync(_dir.File("tampered.jwt"), $"{parts[0]}.{parts[1]}.{flipped}{parts[2][1..]}");

        var result = await TesseraProcess.RunAsync("jwt", "validate", "--token", _dir.File("tampered.jwt"), "--bundle", _dir.File("bundle.json"), "--audience", Audience);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("REJECTED (InvalidSignature)", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MalformedBundle_ExitsTwo()
    {
        await File.WriteAllTextAsync(_dir.File("bad.json"), "{\"keys\": 5}");

        var result = await TesseraProcess.RunAsync("jwt", "validate", "--token", _dir.File("token.jwt"), "--bundle", _dir.File("bad.json"), "--audience", Audience);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("--bundle: bad.json: ", result.StdErr, StringComparison.Ordinal);
    }
}
