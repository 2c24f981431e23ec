using System.Globalization;
using Tessera.Spiffe.AspNetCore.Http;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.WorkloadApi;

// Calls Greeter.Server in a loop over mutual TLS with SVIDs from the SPIFFE Workload API, and counts failures.
//   Greeter.Client [--url https://127.0.0.1:8443] [--server-id spiffe://example.org/greeter/server]
//                  [--duration-seconds 60] [--interval-ms 100]
// Without --duration-seconds it runs until Ctrl+C. The exit code is 0 only when no call failed.
var url = new Uri(Arg("--url") ?? "https://127.0.0.1:8443");
var serverId = SpiffeId.Parse(Arg("--server-id") ?? "spiffe://example.org/greeter/server");
var interval = TimeSpan.FromMilliseconds(int.Parse(Arg("--interval-ms") ?? "100", CultureInfo.InvariantCulture));
using var stop = new CancellationTokenSource();
if (Arg("--duration-seconds") is { } seconds)
{
    stop.CancelAfter(TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)));
}

Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

await using var source = await X509Source.CreateAsync();
Console.WriteLine($"client SVID {source.Svid.Id} serial {source.Svid.Certificate.SerialNumber}");
source.Updated += (_, _) => Console.WriteLine($"client SVID {source.Svid.Id} serial {source.Svid.Certificate.SerialNumber}");

// Each new connection presents the SVID current at that moment; replacing pooled connections every 10 seconds
// puts a rotated SVID to use soon after the rotation (requests in flight are never cut).
using var client = new HttpClient(SpiffeHttpHandler.Create(source, PeerAuthorizer.Id(serverId), new SpiffeHttpHandlerOptions
{
    PooledConnectionLifetime = TimeSpan.FromSeconds(10),
    Tls = new SpiffeTlsOptions
    {
        AdditionalPeerCheck = (id, certificate) =>
        {
            Console.WriteLine($"connected to {id}, server certificate {certificate.SerialNumber}");
            return null;
        },
    },
}))
{
    BaseAddress = url,
    Timeout = TimeSpan.FromSeconds(10),
};

long calls = 0, failures = 0;
var last = string.Empty;
while (!stop.IsCancellationRequested)
{
    calls++;
    try
    {
        var answer = await client.GetStringAsync(new Uri("/hello", UriKind.Relative), stop.Token);
        if (answer != last)
        {
            Console.WriteLine(answer);
            last = answer;
        }
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        calls--;
        break;
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
    {
        // TaskCanceledException here is the HttpClient timeout, not Ctrl+C (handled above).
        failures++;
        Console.WriteLine($"call failed: {ex.Message}");
    }

    try
    {
        await Task.Delay(interval, stop.Token);
    }
    catch (OperationCanceledException)
    {
        break;
    }
}

Console.WriteLine($"calls {calls} failed {failures}");
return failures == 0 ? 0 : 1;

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
