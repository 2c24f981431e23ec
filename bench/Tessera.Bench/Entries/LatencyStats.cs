using System.Diagnostics;

namespace Tessera.Bench.Entries;

/// <summary>Latency percentiles of one operation, in milliseconds.</summary>
internal sealed record LatencyStats(string Operation, int Calls, double P50, double P95, double Max, long LastResult)
{
    // A pathological query must not hold the run hostage: stop sampling it after this long.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    /// <summary>Calls <paramref name="operation"/> up to <paramref name="calls"/> times (argument: call index) and summarises.</summary>
    public static async Task<LatencyStats> MeasureAsync(string name, int calls, Func<int, Task<long>> operation)
    {
        // One untimed call warms the connection pool and the statement path.
        var last = await operation(0).ConfigureAwait(false);
        var samples = new List<double>(calls);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < calls && total.Elapsed < Budget; i++)
        {
            var start = Stopwatch.GetTimestamp();
            last = await operation(i).ConfigureAwait(false);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        samples.Sort();
        return new LatencyStats(name, samples.Count, Percentile(samples, 0.50), Percentile(samples, 0.95), samples[^1], last);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
