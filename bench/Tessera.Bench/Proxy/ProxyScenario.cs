using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Tessera.Bench.Agent;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Bench.Proxy;

/// <summary>
/// <c>proxy [seconds]</c>: a plain TCP echo server reached directly and through <c>tessera proxy outbound</c> →
/// <c>tessera proxy inbound</c> (real server, agent and proxy processes). Measures request/response rate and
/// p50/p99 on one kept-open connection, the new-connection rate (connect, one echo, close) and bulk throughput.
/// </summary>
internal static class ProxyScenario
{
    private const int MessageSize = 64;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken ct)
    {
        var seconds = args.Count > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        return await BenchServer.InTempDirectoryAsync("proxy", dir => RunAsync(TimeSpan.FromSeconds(seconds), dir, ct)).ConfigureAwait(false);
    }

    private static async Task RunAsync(TimeSpan duration, string dir, CancellationToken ct)
    {
        await using var bench = await BenchServer.StartAsync(dir, ct).ConfigureAwait(false);
        var (admin, token, uid) = (bench.Admin, bench.Token, bench.Uid);
        await admin.CreateEntriesAsync(new CreateEntriesRequest
        {
            Entries = { new Entry { SpiffeId = "spiffe://example.org/bench/proxy", ParentId = token.AgentSpiffeId, Selectors = { new Selector { Type = "unix", Value = "uid:" + uid } }, X509SvidTtlSeconds = 3600, Owner = "bench" } },
        }, cancellationToken: ct).ConfigureAwait(false);

        var socket = Path.Combine(dir, "api.sock");
        var agentHealth = ChildProcess.FreePort();
        await using var agent = bench.StartAgent(socket, agentHealth);
        await agent.WaitForAsync(new Uri($"http://127.0.0.1:{agentHealth}/healthz/ready"), _ => true, TimeSpan.FromMinutes(1)).ConfigureAwait(false);

        using var echo = new EchoServer();
        var inboundPort = ChildProcess.FreePort();
        var outboundPort = ChildProcess.FreePort();
        await using var inbound = ChildProcess.Start("proxy", "inbound", "--listen", $"127.0.0.1:{inboundPort}", "--forward", $"127.0.0.1:{echo.Port}", "--allow-trust-domain", "example.org", "--socket", socket, "--timeout", "60s");
        await using var outbound = ChildProcess.Start("proxy", "outbound", "--listen", $"127.0.0.1:{outboundPort}", "--upstream", $"127.0.0.1:{inboundPort}", "--expect", "spiffe://example.org/bench/proxy", "--socket", socket, "--timeout", "60s");
        await UntilListeningAsync(inbound).ConfigureAwait(false);
        await UntilListeningAsync(outbound).ConfigureAwait(false);

        Console.WriteLine($"proxy benchmark: {MessageSize}-byte echo, {duration.TotalSeconds:0} s per measurement, one client at a time ({Environment.ProcessorCount} cores)");
        foreach (var (name, port) in new[] { ("direct", echo.Port), ("via proxy pair", outboundPort) })
        {
            await RequestsAsync(port, TimeSpan.FromSeconds(1), ct).ConfigureAwait(false); // warm-up
            Print($"{name,-15} requests, kept-open connection", await RequestsAsync(port, duration, ct).ConfigureAwait(false));
            Print($"{name,-15} new connection per request   ", await NewConnectionsAsync(port, duration, ct).ConfigureAwait(false));
            Console.WriteLine($"{name,-15} bulk, 64 MiB each way          : {await BulkAsync(port, 64 << 20, ct).ConfigureAwait(false):F0} MiB/s");
        }
    }

    private static async Task UntilListeningAsync(ChildProcess proxy)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!proxy.Output.Contains(": listening on", StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("proxy did not start:\n" + proxy.Output);
            }

            await Task.Delay(100).ConfigureAwait(false);
        }
    }

    private static async Task<List<double>> RequestsAsync(int port, TimeSpan duration, CancellationToken ct)
    {
        using var client = await ConnectAsync(port, ct).ConfigureAwait(false);
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed < duration)
        {
            var start = Stopwatch.GetTimestamp();
            await EchoOnceAsync(client, ct).ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return samples;
    }

    private static async Task<List<double>> NewConnectionsAsync(int port, TimeSpan duration, CancellationToken ct)
    {
        var samples = new List<double>();
        var total = Stopwatch.StartNew();
        while (total.Elapsed < duration)
        {
            var start = Stopwatch.GetTimestamp();
            using (var client = await ConnectAsync(port, ct).ConfigureAwait(false))
            {
                await EchoOnceAsync(client, ct).ConfigureAwait(false);
            }

            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return samples;
    }

    private static async Task<double> BulkAsync(int port, int bytes, CancellationToken ct)
    {
        using var client = await ConnectAsync(port, ct).ConfigureAwait(false);
        var started = Stopwatch.StartNew();
        var send = Task.Run(async () =>
        {
            var chunk = new byte[64 * 1024];
            for (var sent = 0; sent < bytes; sent += chunk.Length)
            {
                await client.SendAsync(chunk, SocketFlags.None, ct).ConfigureAwait(false);
            }

            client.Shutdown(SocketShutdown.Send); // half-close: the echo still comes back through both proxies
        }, ct);
        var buffer = new byte[64 * 1024];
        long received = 0;
        int read;
        while ((read = await client.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false)) > 0)
        {
            received += read;
        }

        await send.ConfigureAwait(false);
        if (received != bytes)
        {
            throw new InvalidOperationException($"bulk echo returned {received} of {bytes} bytes");
        }

        return bytes / (1024.0 * 1024.0) / started.Elapsed.TotalSeconds;
    }

    private static async Task<Socket> ConnectAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync("127.0.0.1", port, ct).ConfigureAwait(false);
        return socket;
    }

    private static async Task EchoOnceAsync(Socket socket, CancellationToken ct)
    {
        var message = new byte[MessageSize];
        await socket.SendAsync(message, SocketFlags.None, ct).ConfigureAwait(false);
        var got = 0;
        while (got < MessageSize)
        {
            var read = await socket.ReceiveAsync(message.AsMemory(got), SocketFlags.None, ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidOperationException("the echo connection closed early");
            }

            got += read;
        }
    }

    private static void Print(string label, List<double> samples)
    {
        samples.Sort();
        double P(double p) => samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
        var rate = samples.Count / (samples.Sum() / 1000.0);
        Console.WriteLine($"{label}: {rate,8:N0}/s  p50 {P(0.50):F3} ms  p99 {P(0.99):F3} ms  ({samples.Count:N0} samples)");
    }
}
