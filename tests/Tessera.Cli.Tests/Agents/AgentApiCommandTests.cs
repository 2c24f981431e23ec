using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Tessera.Agent.Tests.WorkloadApi;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Jwt;

namespace Tessera.Cli.Tests.Agents;

/// <summary>The `tessera agent api` verbs as a real child process against the real Workload API on a temp Unix socket.</summary>
public sealed class AgentApiCommandTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _out = new();
    private WorkloadApiHost _host = null!;

    public async Task InitializeAsync() => _host = await WorkloadApiHost.StartAsync();

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _out.Dispose();

    private string Socket => "unix://" + _host.SocketPath;

    [Fact]
    public async Task FetchX509_Write_PrintsSvidAndWritesChainKeyAndBundleWithModes()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var serial = CertificateSerial(_host.Cache.Current.Svids["e1"].ChainDer);

        var result = await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", Socket, "--write", _out.Path);

        Assert.True(result.ExitCode == 0, result.StdErr);
        Assert.Contains("SPIFFE ID: spiffe://example.org/web", result.StdOut, StringComparison.Ordinal);
        Assert.Contains($"  serial:  {serial}", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("  hint:    hint-e1", result.StdOut, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_out.File("svid.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(_out.File("bundle.pem")));
        using var svid = X509Certificate2.CreateFromPemFile(_out.File("svid.pem"), _out.File("svid.key"));
        Assert.True(svid.HasPrivateKey);
        Assert.Equal(serial, svid.SerialNumber);
        using var bundle = X509CertificateLoader.LoadCertificateFromFile(_out.File("bundle.pem"));
        Assert.Equal(_host.Ca.Certificate.RawData, bundle.RawData);
        Assert.DoesNotContain(".tmp", string.Join(' ', Directory.GetFiles(_out.Path)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchX509_NoIdentity_ExitsOneRefused()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/other", "unix:uid:999999"));

        var result = await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", Socket);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("refused by the agent: no identity issued", result.StdErr.Trim());
    }

    [Fact]
    public async Task FetchJwt_PrintsIdAndTokenThatValidates()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));

        var result = await TesseraProcess.RunAsync("agent", "api", "fetch", "jwt", "--socket", Socket, "--audience", "billing");

        Assert.True(result.ExitCode == 0, result.StdErr);
        var lines = result.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("SPIFFE ID: spiffe://example.org/web (hint: hint-e1)", lines[0]);
        var validated = JwtSvidValidator.Validate(lines[1], new BundleSet(_host.OwnBundle), "billing", DateTimeOffset.UtcNow, TimeSpan.Zero);
        Assert.True(validated.IsValid, validated.Message);

        var validate = await TesseraProcess.RunAsync("agent", "api", "validate", "jwt", "--socket", Socket, "--audience", "billing", "--token", lines[1]);
        Assert.Equal(0, validate.ExitCode);
        Assert.StartsWith("OK spiffe://example.org/web", validate.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain(lines[1], validate.StdOut, StringComparison.Ordinal);

        var wrong = await TesseraProcess.RunAsync("agent", "api", "validate", "jwt", "--socket", Socket, "--audience", "payroll", "--token", lines[1]);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("REJECTED: invalid JWT-SVID (AudienceMismatch): token audience ['billing'] does not contain 'payroll' (JWT-SVID §3.2)", wrong.StdOut.Trim());
    }

    [Fact]
    public async Task Watch_Rotation_PrintsOneLinePerUpdate()
    {
        _host.Publish(WorkloadApiHost.Entry("e1", "/web"));
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "tessera.dll"), "agent", "api", "watch", "--socket", Socket, "--for", "30s" })
        {
            psi.ArgumentList.Add(argument);
        }

        using var process = Process.Start(psi)!;
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var first = await process.StandardOutput.ReadLineAsync(cts.Token);
            var rotated = _host.Issue(_host.Cache.Current.Entries["e1"]);
            _host.Cache.Update(s => s with { Svids = s.Svids.SetItem("e1", rotated) });
            var second = await process.StandardOutput.ReadLineAsync(cts.Token);

            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ spiffe://example\.org/web serial [0-9A-F]+ expires \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", first);
            Assert.Contains($" spiffe://example.org/web serial {CertificateSerial(rotated.ChainDer)} expires ", second, StringComparison.Ordinal);
            Assert.DoesNotContain($" serial {CertificateSerial(rotated.ChainDer)} ", first, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    [Theory]
    [InlineData("tcp://127.0.0.1:8081", "--socket: 'tcp:' addresses are not supported; the Workload API listens on a Unix socket: unix:///absolute/path")]
    [InlineData("relative/api.sock", "--socket: 'relative/api.sock' is a relative path; give an absolute one, e.g. unix:///run/tessera/api.sock")]
    public async Task FetchX509_BadSocketAddress_ExitsTwoWithTheError(string socket, string error)
    {
        var result = await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", socket);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(error, result.StdErr.Trim());
    }

    [Fact]
    public async Task FetchX509_NoSocket_ExitsThreeUnavailable()
    {
        var missing = _out.File("missing.sock");

        var result = await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", missing);

        Assert.Equal(3, result.ExitCode);
        Assert.StartsWith($"no Workload API socket at {missing}", result.StdErr, StringComparison.Ordinal);
    }

    private static string CertificateSerial(byte[] chainDer)
    {
        using var leaf = X509CertificateLoader.LoadCertificate(Tessera.Spiffe.X509.CertificateChain.Parse(chainDer)[0].RawData);
        return leaf.SerialNumber;
    }
}
