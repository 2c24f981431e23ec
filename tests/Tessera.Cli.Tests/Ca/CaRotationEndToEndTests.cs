using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Tessera.Cli.Tests.Ca;

/// <summary>
/// Emergency CA rotation end to end with a real <c>tessera server run</c> and <c>tessera agent run</c> and a workload
/// streaming on <c>tessera agent api watch</c>: <c>tessera ca rotate --now</c> → the workload holds an SVID from the new
/// CA within a bound, the tainted CA leaves the bundle by itself once everything is re-issued, and while it is still
/// in the bundle <c>openssl verify -crl_check</c> refuses a revoked SVID it signed. The measured times are printed.
/// </summary>
public sealed class CaRotationEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const string WebId = "spiffe://example.org/e2e/web";
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task RotateNow_WorkloadGetsNewCaSvid_TaintedCaRemovedAfterReissue_RevokedOldSvidRefusedByOpenssl()
    {
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path);
        var revokedDir = Path.Combine(_dir.Path, "revoked");
        var (revokedSerial, started) = await domain.StartLongLivedWorkloadAsync(WebId, revokedDir, Budget);
        await using var watch = started;

        // An SVID of the soon-to-be-tainted CA, revoked: the agent replaces it (still from that CA).
        (await domain.AdminAsync("revoke", "svid", "--serial", revokedSerial, "--reason", "e2e: key leaked")).EnsureSuccess("revoke svid");
        await watch.WaitForAsync(o => SvidOutput.WatchedSerials(o).Any(s => s != revokedSerial), Budget, "the revoked SVID replaced");
        var beforeRotation = SvidOutput.WatchedSerials(watch.Output).ToHashSet(StringComparer.Ordinal);

        var refusedNoNow = await domain.AdminAsync("ca", "rotate", "--reason", "drill");
        Assert.Equal((2, "--now is required: this activates a new key at once and taints the current one (scheduled rotation needs no command)"), (refusedNoNow.ExitCode, refusedNoNow.StdErr.Trim()));
        var refusedNoReason = await domain.AdminAsync("ca", "rotate", "--now");
        Assert.Equal((2, "--reason is required: say why the key is rotated, tainted or removed (it is kept in the audit log)"), (refusedNoReason.ExitCode, refusedNoReason.StdErr.Trim()));
        var oldKey = Keys(await ShowAsync(domain)).Single(k => k.Kind == "x509" && k.Status == "active");

        var clock = Stopwatch.StartNew();
        var rotate = (await domain.AdminAsync("ca", "rotate", "--now", "--kind", "x509", "--reason", "drill")).EnsureSuccess("ca rotate");
        var commandReturned = clock.Elapsed;
        Assert.Contains($"tainted {oldKey.KeyId}", rotate.StdOut, StringComparison.Ordinal);

        // While the tainted CA is still in the bundle, its CRL is published beside the new CA's, and openssl (a
        // verifier nobody here wrote) refuses the revoked SVID it signed.
        using var http = new HttpClient();
        var crlPem = await http.GetStringAsync(new Uri($"http://127.0.0.1:{domain.Server.HealthPort}/crl.pem"));
        Assert.Equal(2, Regex.Count(crlPem, "-----BEGIN X509 CRL-----"));
        var crlFile = Path.Combine(_dir.Path, "crl-after-rotation.pem");
        // Shown as tainted before anything slower runs: the reaper removes it once every SVID is re-issued (4-7 s).
        var tainted = Keys(await ShowAsync(domain)).Single(k => k.KeyId == oldKey.KeyId);
        Assert.True(tainted.Tainted);
        await File.WriteAllTextAsync(crlFile, crlPem);
        var refused = await ExternalTool.RunAsync("openssl", ["verify", "-crl_check", "-CAfile", Path.Combine(revokedDir, "bundle.pem"), "-CRLfile", crlFile, Path.Combine(revokedDir, "svid.pem")]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("certificate revoked", refused.StdOut + refused.StdErr, StringComparison.Ordinal);

        // The workload's open stream gets an SVID from the new CA (after ca_reissue_delay, 2 s by default, plus jitter).
        string? newSerial = null;
        while (newSerial is null && clock.Elapsed < Budget)
        {
            newSerial = SvidOutput.WatchedSerials(watch.Output).FirstOrDefault(s => !beforeRotation.Contains(s));
            await Task.Delay(10);
        }

        var reissued = clock.Elapsed;
        Assert.True(newSerial is not null, $"no re-issue within {Budget.TotalSeconds} s:\nagent:\n{domain.Agent.Output}\nwatch:\n{watch.Output}");
        var afterDir = Path.Combine(_dir.Path, "after");
        (await Tessera("agent", "api", "fetch", "x509", "--write", afterDir, "--socket", domain.Socket, "--timeout", "10s")).EnsureSuccess("fetch after");
        var newKey = Keys(await ShowAsync(domain)).Single(k => k.Kind == "x509" && k.Status == "active");
        Assert.Equal(newKey.SubjectKeyId, Aki(Path.Combine(afterDir, "svid.pem")));

        // Once every SVID of the tainted CA (the workload's, the agent's, the server's) is re-issued, it leaves the bundle.
        while (Keys(await ShowAsync(domain)).Any(k => k.KeyId == oldKey.KeyId) && clock.Elapsed < Budget)
        {
            await Task.Delay(100);
        }

        var removed = clock.Elapsed;
        Assert.DoesNotContain(Keys(await ShowAsync(domain)), k => k.KeyId == oldKey.KeyId);
        Report($"emergency rotation: `ca rotate --now` returned after {Ms(commandReturned)}; the workload's open stream held an SVID from the new CA by {Ms(reissued)}; "
            + $"the tainted CA left the bundle by {Ms(removed)} (all from the command's start, including its process start-up; ca_reissue_delay 2 s)");
        // The CRLs are re-signed just after the key leaves (a moment later): wait for it, time-boxed.
        var crls = 0;
        while ((crls = Regex.Count(await http.GetStringAsync(new Uri($"http://127.0.0.1:{domain.Server.HealthPort}/crl.pem")), "-----BEGIN X509 CRL-----")) != 1 && clock.Elapsed < Budget)
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, crls);
        var bundle = (await domain.AdminAsync("bundle", "show")).EnsureSuccess("bundle show").StdOut;
        Assert.Equal(1, Regex.Count(bundle, "-----BEGIN CERTIFICATE-----"));

        // The workload keeps working with the new SVID against the new bundle, CRL-checked by openssl.
        var current = await ExternalTool.RunAsync("openssl", ["verify", "-crl_check", "-CAfile", Path.Combine(afterDir, "bundle.pem"), "-CRLfile", crlFile, Path.Combine(afterDir, "svid.pem")]);
        Assert.True(current.ExitCode == 0, current.StdOut + current.StdErr);
        var audit = (await domain.AdminAsync("audit", "list", "--output", "json")).EnsureSuccess("audit list").StdOut;
        Assert.Contains("\"ca.rotate\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"ca.key.remove\"", audit, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> ShowAsync(LocalTrustDomain domain) =>
        JsonDocument.Parse((await domain.AdminAsync("ca", "show", "--output", "json")).EnsureSuccess("ca show").StdOut).RootElement;

    private static List<(string Kind, string KeyId, string Status, bool Tainted, string SubjectKeyId)> Keys(JsonElement shown) =>
        [.. shown.GetProperty("keys").EnumerateArray().Select(k => (k.GetProperty("kind").GetString()!, k.GetProperty("keyId").GetString()!, k.GetProperty("status").GetString()!, k.GetProperty("tainted").GetBoolean(), k.GetProperty("subjectKeyId").GetString()!))];

    private static string Aki(string pemFile)
    {
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(pemFile));
        return Convert.ToHexString(certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().Single().KeyIdentifier!.Value.Span);
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    private static string Ms(TimeSpan time) => $"{time.TotalMilliseconds:0} ms";

    private static Task<ExternalTool.Result> Tessera(params string[] arguments) => TesseraProcess.RunAsync(arguments);
}
