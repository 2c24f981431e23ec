using System.Diagnostics;

namespace Tessera.Bench.Mtls;

/// <summary>Runs <c>GET</c> requests from N concurrent workers for a fixed time and summarises them.</summary>
internal static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(HttpClient client, Uri uri, Version version, bool newConnectionPerRequest, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        // An untimed second warms the pool, the JIT and (for keep-alive) opens the connections.
        await RunWorkersAsync(client, uri, version, newConnectionPerRequest, concurrency, TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        var started = Stopwatch.GetTimestamp();
        var (latencies, failures) = await RunWorkersAsync(client, uri, version, newConnectionPerRequest, concurrency, duration, cancellationToken).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);
        latencies.Sort();
        return new LoadResult(latencies.Count, failures, latencies.Count / elapsed.TotalSeconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private static async Task<(List<double> Latencies, long Failures)> RunWorkersAsync(HttpClient client, Uri uri, Version version, bool newConnectionPerRequest, int concurrency, TimeSpan duration, CancellationToken cancellationToken)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        long failures = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            var samples = new List<double>();
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, uri) { Version = version, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
                    request.Headers.ConnectionClose = newConnectionPerRequest;
                    using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                    _ = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }
            }

            return samples;
        }).ToList();
        var all = await Task.WhenAll(workers).ConfigureAwait(false);
        return ([.. all.SelectMany(s => s)], failures);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
}
