using System.Diagnostics;

namespace Tessera.Bench.Jwt;

/// <summary>Times operations: a rate over a fixed duration, or per-call latency percentiles over N calls.</summary>
internal static class RateMeter
{
    /// <summary>Runs <paramref name="operation"/> (after a short warm-up) for <paramref name="duration"/> and returns operations per second.</summary>
    public static double Rate(TimeSpan duration, Action operation)
    {
        for (var i = 0; i < 200; i++)
        {
            operation();
        }

        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            // Batches of 64 keep the clock reads out of the measurement.
            for (var i = 0; i < 64; i++)
            {
                operation();
            }

            count += 64;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>Awaits <paramref name="operation"/> for the given duration and returns operations per second.</summary>
    public static async Task<double> RateAsync(TimeSpan duration, Func<Task> operation)
    {
        for (var i = 0; i < 50; i++)
        {
            await operation().ConfigureAwait(false);
        }

        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            await operation().ConfigureAwait(false);
            count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Runs each operation for <paramref name="duration"/>, alternating, <paramref name="rounds"/> times, and returns
    /// the best rate of each: on a shared machine the best round is the least disturbed one, and alternating keeps a
    /// burst of load from landing on one operation only.
    /// </summary>
    public static double[] BestRates(TimeSpan duration, int rounds, params Action[] operations)
    {
        var best = new double[operations.Length];
        for (var r = 0; r < rounds; r++)
        {
            for (var i = 0; i < operations.Length; i++)
            {
                best[i] = Math.Max(best[i], Rate(duration, operations[i]));
            }
        }

        return best;
    }

    /// <summary>Calls <paramref name="operation"/> (argument: call index; negative for the 50 untimed warm-up calls) <paramref name="calls"/> times.</summary>
    public static async Task<Latency> LatencyAsync(int calls, Func<int, Task> operation)
    {
        for (var i = -1; i >= -50; i--)
        {
            await operation(i).ConfigureAwait(false);
        }

        var samples = new double[calls];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await operation(i).ConfigureAwait(false);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        total.Stop();
        Array.Sort(samples);
        return new Latency(calls, Percentile(samples, 0.50), Percentile(samples, 0.99), calls / total.Elapsed.TotalSeconds);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    /// <summary>Latency percentiles in milliseconds and the sequential rate in calls per second.</summary>
    internal sealed record Latency(int Calls, double P50, double P99, double Rate);
}
