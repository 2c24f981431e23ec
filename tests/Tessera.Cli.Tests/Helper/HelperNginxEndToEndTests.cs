using System.Globalization;
using System.Text.RegularExpressions;

namespace Tessera.Cli.Tests.Helper;

/// <summary>
/// <c>tessera helper run</c> keeping a real nginx (Debian's package) in mutual TLS: nginx serves the helper's
/// svid.pem/svid.key and verifies clients against its bundle.pem; curl and openssl (clients nobody here wrote)
/// verify nginx with the SPIFFE bundle and a DNS SAN of the entry. After a rotation the helper writes new files and
/// sends SIGHUP, and nginx serves the new certificate without a restart.
/// </summary>
public sealed partial class HelperNginxEndToEndTests : IDisposable
{
    private const string WebId = "spiffe://example.org/e2e/web";
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Helper_Nginx_MutualTlsThenNewSerialServedAfterRotationWithoutRestart()
    {
        var nginxBinary = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);
        Assert.True(nginxBinary is not null, "nginx is not installed (test.sh installs it: apt-get install nginx)");
        await using var domain = await LocalTrustDomain.StartAsync(_dir.Path);
        await domain.CreateEntryAsync(WebId, "--dns", "web.test");
        await domain.WaitForSvidsAsync(WebId);

        var certs = Path.Combine(_dir.Path, "certs");
        var nginxDir = Path.Combine(_dir.Path, "nginx");
        Directory.CreateDirectory(Path.Combine(nginxDir, "tmp"));
        var pidFile = Path.Combine(nginxDir, "nginx.pid");
        await using var helper = BackgroundProcess.StartTessera("helper", "run", "--write", certs, "--signal", "HUP", "--pid-file", pidFile, "--socket", domain.Socket, "--timeout", "30s");
        // The reload line follows the write line; waiting for it (not asserting at once) avoids racing the helper's output.
        await helper.WaitForAsync(o => o.Contains($"reload: pid file {pidFile} does not exist (yet); no SIGHUP sent", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "first write and its reload attempt");
        Assert.Contains("helper: wrote", helper.Output, StringComparison.Ordinal);
        var firstSerial = Serials(helper.Output)[0];
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(certs, "svid.key")));
        Assert.DoesNotContain("PRIVATE KEY", helper.Output, StringComparison.Ordinal);

        var port = FreePorts.Next();
        var config = Path.Combine(nginxDir, "nginx.conf");
        await File.WriteAllTextAsync(config, NginxConfig(nginxDir, certs, port));
        await using var nginx = BackgroundProcess.Start(nginxBinary!, ["-c", config, "-p", nginxDir, "-e", Path.Combine(nginxDir, "error.log")]);
        await UntilAsync(async () => File.Exists(pidFile) && (await Curl(port, certs, withClientCertificate: false)).ExitCode == 0, TimeSpan.FromSeconds(60), () => nginx.Output);

        // A client with an SVID of the trust domain (fetched by the standard verb) gets in; one without is refused by nginx.
        var client = Path.Combine(_dir.Path, "client");
        (await TesseraProcess.RunAsync("agent", "api", "fetch", "x509", "--socket", domain.Socket, "--write", client)).EnsureSuccess("fetch x509 --write");
        var ok = await Curl(port, certs, withClientCertificate: true, client);
        Assert.Equal("hello over mTLS SUCCESS|200", ok.StdOut);
        var refused = await Curl(port, certs, withClientCertificate: false);
        Assert.EndsWith("|400", refused.StdOut, StringComparison.Ordinal);
        Assert.Contains("No required SSL certificate was sent", refused.StdOut, StringComparison.Ordinal);
        Assert.Equal(firstSerial, await ServedSerial(port, certs, client));

        // Rotation at about half the 60 s TTL: new files, SIGHUP to the pid in the pid file, new serial served by the same master.
        var masterPid = (await File.ReadAllTextAsync(pidFile)).Trim();
        await helper.WaitForAsync(o => Serials(o).Distinct().Count() >= 2, TimeSpan.FromSeconds(100), "a rotation");
        var secondSerial = Serials(helper.Output).Last();
        await helper.WaitForAsync(o => Regex.Count(o, $"reload: sent SIGHUP to pid {masterPid}") >= 1, TimeSpan.FromSeconds(30), "SIGHUP to nginx");
        var served = string.Empty;
        await UntilAsync(async () => (served = await ServedSerial(port, certs, client)) == secondSerial, TimeSpan.FromSeconds(45), () => $"served {served}, expected {secondSerial}\n{nginx.Output}");
        Assert.NotEqual(firstSerial, secondSerial);
        Assert.Equal(masterPid, (await File.ReadAllTextAsync(pidFile)).Trim());
        Assert.False(nginx.HasExited);
        Assert.Equal("hello over mTLS SUCCESS|200", (await Curl(port, certs, withClientCertificate: true, client)).StdOut);

        Assert.Equal(0, await helper.StopAsync());
        Assert.Contains("helper: stopping", helper.Output, StringComparison.Ordinal);
    }

    private static string NginxConfig(string dir, string certs, int port) => $$"""
        daemon off;
        worker_processes 1;
        pid {{dir}}/nginx.pid;
        error_log {{dir}}/error.log notice;
        events { worker_connections 64; }
        http {
            access_log {{dir}}/access.log;
            client_body_temp_path {{dir}}/tmp/body;
            proxy_temp_path {{dir}}/tmp/proxy;
            fastcgi_temp_path {{dir}}/tmp/fastcgi;
            uwsgi_temp_path {{dir}}/tmp/uwsgi;
            scgi_temp_path {{dir}}/tmp/scgi;
            server {
                listen 127.0.0.1:{{port}} ssl;
                server_name web.test;
                ssl_certificate {{certs}}/svid.pem;
                ssl_certificate_key {{certs}}/svid.key;
                ssl_client_certificate {{certs}}/bundle.pem;
                ssl_verify_client on;
                ssl_verify_depth 3;
                location / {
                    default_type text/plain;
                    return 200 "hello over mTLS $ssl_client_verify";
                }
            }
        }
        """;

    private static Task<ExternalTool.Result> Curl(int port, string certs, bool withClientCertificate, string? client = null)
    {
        string[] identity = withClientCertificate ? ["--cert", Path.Combine(client!, "svid.pem"), "--key", Path.Combine(client!, "svid.key")] : [];
        return ExternalTool.RunAsync("curl", ["-sS", "--max-time", "10", "--cacert", Path.Combine(certs, "bundle.pem"), .. identity,
            "--resolve", $"web.test:{port}:127.0.0.1", "-w", "|%{http_code}", $"https://web.test:{port}/"]);
    }

    private static async Task<string> ServedSerial(int port, string certs, string client)
    {
        var script = $"openssl s_client -connect 127.0.0.1:{port} -servername web.test -CAfile {certs}/bundle.pem -verify_return_error "
            + $"-cert {client}/svid.pem -key {client}/svid.key </dev/null 2>/dev/null | openssl x509 -noout -serial";
        var result = await ExternalTool.RunAsync("/bin/sh", ["-c", script], timeout: TimeSpan.FromSeconds(20));
        return result.StdOut.Trim().Replace("serial=", string.Empty, StringComparison.Ordinal).TrimStart('0');
    }

    private static List<string> Serials(string output) =>
        [.. SerialPattern().Matches(output).Select(m => m.Groups[1].Value.TrimStart('0').ToUpper(CultureInfo.InvariantCulture))];

    private static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {timeout}: {describe()}");
            await Task.Delay(250);
        }
    }

    [GeneratedRegex(@"helper: wrote \S+ serial ([0-9A-F]+)")]
    private static partial Regex SerialPattern();
}
