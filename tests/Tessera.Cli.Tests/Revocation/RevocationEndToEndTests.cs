using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit.Abstractions;

namespace Tessera.Cli.Tests.Revocation;

/// <summary>
/// Revocation end to end with a real <c>tessera server run</c> and <c>tessera agent run</c>: a revoked X509-SVID is
/// replaced on the workload's open Workload API stream within seconds, the CRL lists it and <c>openssl verify
/// -crl_check</c> rejects it; a revoked JWT-SVID is refused by <c>tessera agent api validate jwt</c>. The time from
/// the revoke command to the agent dropping the SVID is printed.
/// </summary>
public sealed class RevocationEndToEndTests(ITestOutputHelper output) : IDisposable
{
    private const string WebId = "spiffe://example.org/e2e/web";
    // Generous: it includes cold `dotnet tessera` starts on a loaded CI machine; the latencies are printed, not asserted.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Revoke_SvidBySerial_ReplacedAtOnceListedInCrlAndRejectedByOpenssl()
    {
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path);
        var before = Path.Combine(_dir.Path, "before");
        var (oldSerial, started) = await domain.StartLongLivedWorkloadAsync(WebId, before, Budget);
        await using var watch = started;

        var missing = await domain.AdminAsync("revoke", "svid", "--serial", oldSerial);
        Assert.Equal(2, missing.ExitCode);
        Assert.Equal("--reason is required: say why the credential is revoked (it is kept with the revocation and in the audit log)", missing.StdErr.Trim());

        var clock = Stopwatch.StartNew();
        var revoke = await domain.AdminAsync("revoke", "svid", "--serial", oldSerial, "--reason", "e2e: key leaked");
        var commandReturned = clock.Elapsed;
        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal($"revoked X509-SVID serial {oldSerial} ({WebId})", revoke.StdOut.Trim());
        TimeSpan? dropped = null;
        string? newSerial = null;
        while (newSerial is null && clock.Elapsed < Budget)
        {
            dropped ??= domain.Agent.Output.Contains("revocations received", StringComparison.Ordinal) ? clock.Elapsed : null;
            newSerial ??= SvidOutput.WatchedSerials(watch.Output).FirstOrDefault(s => s != oldSerial);
            await Task.Delay(10);
        }

        var reissued = clock.Elapsed;
        var seenAt = DateTimeOffset.UtcNow;
        Assert.True(newSerial is not null, $"no re-issue within {Budget.TotalSeconds} s:\nagent:\n{domain.Agent.Output}\nwatch:\n{watch.Output}");
        Report($"revocation propagation: revoke command returned after {Ms(commandReturned)}, agent logged the drop by {(dropped is { } d ? Ms(d) : "(not logged yet)")}, "
            + $"the workload's open stream had the new SVID by {Ms(reissued)} (all from the command's start, including its process start-up; polled every 10 ms)");

        // The new SVID is what fetch now returns; the old one is in the CRL, served and written to the data directory.
        var after = Path.Combine(_dir.Path, "after");
        Assert.Equal(newSerial, SvidOutput.Serial((await Tessera("agent", "api", "fetch", "x509", "--write", after, "--socket", domain.Socket, "--timeout", "10s")).EnsureSuccess("fetch again").StdOut));
        using var http = new HttpClient();
        var served = await http.GetStringAsync(new Uri($"http://127.0.0.1:{domain.Server.HealthPort}/crl.pem"));
        var crlFile = Path.Combine(domain.Server.DataDir, "crl.pem");
        Assert.Equal(served, await File.ReadAllTextAsync(crlFile));
        var der = await http.GetByteArrayAsync(new Uri($"http://127.0.0.1:{domain.Server.HealthPort}/crl"));
        Assert.Equal(served, PemEncoding.WriteString("X509 CRL", der) + "\n");
        var text = (await ExternalTool.RunAsync("openssl", ["crl", "-in", crlFile, "-noout", "-text"])).EnsureSuccess("openssl crl").StdOut;
        Assert.Contains($"Serial Number: {oldSerial}", text, StringComparison.Ordinal);
        Assert.DoesNotContain(newSerial!, text, StringComparison.Ordinal);

        // openssl, a verifier nobody here wrote: the revoked SVID fails the CRL check, the new one passes it.
        var bundle = Path.Combine(before, "bundle.pem");
        var revoked = await ExternalTool.RunAsync("openssl", ["verify", "-crl_check", "-CAfile", bundle, "-CRLfile", crlFile, Path.Combine(before, "svid.pem")]);
        Assert.NotEqual(0, revoked.ExitCode);
        Assert.Contains("certificate revoked", revoked.StdOut + revoked.StdErr, StringComparison.Ordinal);
        var current = await ExternalTool.RunAsync("openssl", ["verify", "-crl_check", "-CAfile", bundle, "-CRLfile", crlFile, Path.Combine(after, "svid.pem")]);
        Assert.True(current.ExitCode == 0, current.StdOut + current.StdErr);

        var list = JsonDocument.Parse((await domain.AdminAsync("revoke", "list", "--output", "json")).EnsureSuccess("revoke list").StdOut).RootElement;
        Assert.Equal(oldSerial, list[0].GetProperty("value").GetString());
        Assert.Equal("e2e: key leaked", list[0].GetProperty("reason").GetString());
        // The server's clock when it accepted the call (the record's revocation time), against the moment the workload's
        // stream showed the new SVID (one machine, one clock): the propagation itself, without the CLI's start-up.
        var committed = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(list[0].GetProperty("revokedAtUnixMs").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Report($"revocation propagation: server accepting the call to the workload's stream holding the new SVID: {Ms(seenAt - committed)} (at most 10 ms polling slack)");
        var audit = (await domain.AdminAsync("audit", "list", "--output", "json")).EnsureSuccess("audit list").StdOut;
        Assert.Contains("svid.x509.revoke", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_JwtByJtiThenByIdentity_ValidateRefusesAndFreshTokensWork()
    {
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path);
        await domain.CreateEntryAsync(WebId);
        await domain.WaitForSvidsAsync(WebId);
        var token = await FetchJwtAsync(domain);
        var (jti, exp) = Claims(token);
        Assert.Equal(0, (await Validate(domain, token)).ExitCode);

        var revoke = await domain.AdminAsync("revoke", "jwt", "--jti", jti, "--expires-at", exp.ToString(System.Globalization.CultureInfo.InvariantCulture), "--reason", "e2e: token pasted in a ticket");
        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal($"revoked JWT-SVID jti {jti}", revoke.StdOut.Trim());
        var refused = await UntilRejectedAsync(domain, token);
        Assert.Equal($"REJECTED: invalid JWT-SVID (revoked): jti '{jti}' is revoked", refused.StdOut.Trim());

        // The agent does not hand out its cached (now revoked) token again: the next fetch mints a new one.
        var fresh = await FetchJwtAsync(domain);
        Assert.NotEqual(jti, Claims(fresh).Jti);
        Assert.Equal(0, (await Validate(domain, fresh)).ExitCode);

        // Identity-wide: every token of the identity minted before now is refused; one minted afterwards is not.
        Assert.Equal(0, (await domain.AdminAsync("revoke", "jwt", "--spiffe-id", WebId, "--reason", "e2e: all tokens out")).ExitCode);
        var refusedAll = await UntilRejectedAsync(domain, fresh);
        Assert.StartsWith($"REJECTED: invalid JWT-SVID (revoked): every JWT-SVID of {WebId} issued before ", refusedAll.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, (await Validate(domain, await FetchJwtAsync(domain))).ExitCode);

        var list = (await domain.AdminAsync("revoke", "list")).EnsureSuccess("revoke list").StdOut;
        Assert.Contains($"JWT-SVID jti {jti}", list, StringComparison.Ordinal);
        Assert.Contains($"JWT-SVIDs of {WebId} issued before ", list, StringComparison.Ordinal);
        Assert.Contains("Found 2 revocations", list, StringComparison.Ordinal);
    }

    private static async Task<ExternalTool.Result> UntilRejectedAsync(LocalTrustDomain domain, string token)
    {
        var deadline = DateTime.UtcNow + Budget;
        while (true)
        {
            var result = await Validate(domain, token);
            if (result.ExitCode == 1 || DateTime.UtcNow > deadline)
            {
                Assert.Equal(1, result.ExitCode);
                return result;
            }

            await Task.Delay(100);
        }
    }

    private static async Task<string> FetchJwtAsync(LocalTrustDomain domain)
    {
        var fetched = (await Tessera("agent", "api", "fetch", "jwt", "--audience", "e2e-api", "--socket", domain.Socket, "--timeout", "10s")).EnsureSuccess("fetch jwt").StdOut;
        return fetched.Split('\n', StringSplitOptions.RemoveEmptyEntries)[1].Trim();
    }

    private static Task<ExternalTool.Result> Validate(LocalTrustDomain domain, string token) =>
        Tessera("agent", "api", "validate", "jwt", "--audience", "e2e-api", "--token", token, "--socket", domain.Socket, "--timeout", "10s");

    private static (string Jti, long Exp) Claims(string token)
    {
        var payload = token.Split('.')[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        var claims = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(payload))).RootElement;
        return (claims.GetProperty("jti").GetString()!, claims.GetProperty("exp").GetInt64());
    }

    private void Report(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }

    private static string Ms(TimeSpan time) => $"{time.TotalMilliseconds:0} ms";

    private static Task<ExternalTool.Result> Tessera(params string[] arguments) => TesseraProcess.RunAsync(arguments);
}
