using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Tessera.Bench.Entries;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Transport;
using Tessera.Contracts.Workload;

namespace Tessera.Bench.Agent;

/// <summary>
/// <c>agent</c>: a real server and a real agent as child processes (issue 4's benchmark). Measures the time for an
/// agent authorised for N entries to attest and hold every SVID, FetchX509SVID first-response latency for a cached
/// identity, the time from entry creation to the SVID reaching a waiting workload, and agent memory per open stream.
/// </summary>
internal static class AgentScenario
{
    private static readonly Metadata Header = new() { { "workload.spiffe.io", "true" } };

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        AgentBenchOptions options;
        try
        {
            options = AgentBenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
            return 2;
        }

        return await BenchServer.InTempDirectoryAsync("agent", dir => RunAsync(options, dir, cancellationToken)).ConfigureAwait(false);
    }

    private static async Task RunAsync(AgentBenchOptions options, string dir, CancellationToken ct)
    {
        await using var bench = await BenchServer.StartAsync(dir, ct).ConfigureAwait(false);
        var (server, admin, token, uid) = (bench.Server, bench.Admin, bench.Token, bench.Uid);

        // N entries for a uid nobody has (the agent signs them all), and one for this process's uid.
        for (var start = 0; start < options.Entries; start += 500)
        {
            var request = new CreateEntriesRequest();
            for (var i = start; i < Math.Min(options.Entries, start + 500); i++)
            {
                request.Entries.Add(Entry(token.AgentSpiffeId, $"/bench/bulk/{i}", "4000000000"));
            }

            await admin.CreateEntriesAsync(request, cancellationToken: ct).ConfigureAwait(false);
        }

        await admin.CreateEntriesAsync(new CreateEntriesRequest { Entries = { Entry(token.AgentSpiffeId, "/bench/me", uid) } }, cancellationToken: ct).ConfigureAwait(false);

        var socket = Path.Combine(dir, "public", "api.sock");
        var agentHealth = ChildProcess.FreePort();
        var loadBefore = LoadAverage();
        var serverCpu = server.CpuTime;
        var sync = Stopwatch.StartNew();
        await using var agent = bench.StartAgent(socket, agentHealth);
        await agent.WaitForAsync(new Uri($"http://127.0.0.1:{agentHealth}/metrics"), body => Gauge(body, "tessera_agent_svids") >= options.Entries + 1, TimeSpan.FromMinutes(15)).ConfigureAwait(false);
        sync.Stop();
        Console.WriteLine($"agent sync: attest + {options.Entries + 1:N0} entries + every SVID signed: {sync.Elapsed.TotalSeconds:F1} s ({(options.Entries + 1) / sync.Elapsed.TotalSeconds:N0} SVIDs/s)");

        // CPU seconds are the measure that holds on a shared machine, where the wall time moves with the load.
        Console.WriteLine($"agent sync CPU: agent {agent.CpuTime.TotalSeconds:F1} s (process start included), server {(server.CpuTime - serverCpu).TotalSeconds:F1} s; load average {loadBefore} before, {LoadAverage()} after");

        var cold = await LatencyStats.MeasureAsync("FetchX509SVID first response, new connection", options.Calls, async _ =>
        {
            using var channel = UnixSocketChannel.Create(socket);
            return await FirstResponseAsync(new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(channel), ct).ConfigureAwait(false);
        }).ConfigureAwait(false);
        using var shared = UnixSocketChannel.Create(socket);
        var sharedClient = new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(shared);
        var warm = await LatencyStats.MeasureAsync("FetchX509SVID first response, open connection", options.Calls, _ => FirstResponseAsync(sharedClient, ct)).ConfigureAwait(false);
        Print(cold);
        Print(warm);

        await MeasureCreateToWorkloadAsync(admin, sharedClient, token.AgentSpiffeId, uid, options.Creates, ct).ConfigureAwait(false);
        await MeasureStreamsAsync(agent, socket, options.Streams, ct).ConfigureAwait(false);
    }

    private static async Task MeasureCreateToWorkloadAsync(Admin.AdminClient admin, SpiffeWorkloadAPI.SpiffeWorkloadAPIClient client, string parent, string uid, int creates, CancellationToken ct)
    {
        using var call = client.FetchX509SVID(new X509SVIDRequest(), Header, cancellationToken: ct);
        if (!await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
        {
            throw new InvalidOperationException("the Workload API stream ended before its first response");
        }

        var held = call.ResponseStream.Current.Svids.Count;
        var samples = new List<double>();
        for (var i = 0; i < creates; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await admin.CreateEntriesAsync(new CreateEntriesRequest { Entries = { Entry(parent, $"/bench/me/extra-{i}", uid) } }, cancellationToken: ct).ConfigureAwait(false);
            while (call.ResponseStream.Current.Svids.Count <= held)
            {
                if (!await call.ResponseStream.MoveNext(ct).ConfigureAwait(false))
                {
                    throw new InvalidOperationException("the Workload API stream ended");
                }
            }

            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            held = call.ResponseStream.Current.Svids.Count;
        }

        samples.Sort();
        Console.WriteLine($"entry create -> SVID at a waiting workload: {samples.Count} samples, p50 {samples[samples.Count / 2]:F1} ms, max {samples[^1]:F1} ms");
    }

    private static async Task MeasureStreamsAsync(ChildProcess agent, string socket, int streams, CancellationToken ct)
    {
        GC.Collect();
        var before = agent.ResidentMiB();
        var channels = new List<Grpc.Net.Client.GrpcChannel>(streams);
        var calls = new List<AsyncServerStreamingCall<X509SVIDResponse>>(streams);
        var opened = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < streams; i++)
            {
                var channel = UnixSocketChannel.Create(socket);
                channels.Add(channel);
                calls.Add(new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(channel).FetchX509SVID(new X509SVIDRequest(), Header, cancellationToken: ct));
            }

            await Task.WhenAll(calls.Select(c => c.ResponseStream.MoveNext(ct))).ConfigureAwait(false);
            opened.Stop();
            await Task.Delay(1000, ct).ConfigureAwait(false);
            var after = agent.ResidentMiB();
            Console.WriteLine($"concurrent streams: {streams:N0} connections each with an open FetchX509SVID stream, all served in {opened.Elapsed.TotalSeconds:F1} s; agent RSS {before:F0} -> {after:F0} MiB ({(after - before) * 1024 / streams:F1} KiB per stream)");
        }
        finally
        {
            foreach (var call in calls)
            {
                call.Dispose();
            }

            foreach (var channel in channels)
            {
                channel.Dispose();
            }
        }
    }

    private static async Task<long> FirstResponseAsync(SpiffeWorkloadAPI.SpiffeWorkloadAPIClient client, CancellationToken ct)
    {
        using var call = client.FetchX509SVID(new X509SVIDRequest(), Header, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: ct);
        return await call.ResponseStream.MoveNext(ct).ConfigureAwait(false) ? call.ResponseStream.Current.Svids.Count : 0;
    }

    private static Entry Entry(string parent, string path, string uid) => new()
    {
        SpiffeId = "spiffe://example.org" + path,
        ParentId = parent,
        Selectors = { new Selector { Type = "unix", Value = "uid:" + uid } },
        X509SvidTtlSeconds = 3600,
        Owner = "bench",
    };

    /// <summary>The 1-minute load average (Linux), or "?" where there is none.</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";

    private static double Gauge(string metrics, string name)
    {
        foreach (var line in metrics.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(name.Length + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return double.NaN;
    }

    private static void Print(LatencyStats stats) =>
        Console.WriteLine($"{stats.Operation}: {stats.Calls} calls, p50 {stats.P50:F2} ms, p95 {stats.P95:F2} ms, max {stats.Max:F2} ms");
}
