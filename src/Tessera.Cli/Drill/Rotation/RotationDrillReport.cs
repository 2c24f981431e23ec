using System.Globalization;
using System.Text.Json;
using Tessera.Cli.Internal;

namespace Tessera.Cli.Drill.Rotation;

/// <summary>Prints a rotation drill's result: a short text summary and verdict, or JSON.</summary>
internal static class RotationDrillReport
{
    public static void Print(RotationDrillResult result, bool json)
    {
        var times = result.Reissued.Where(r => r is not null).Select(r => r!.Value.TotalMilliseconds).Order().ToList();
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                workloads = result.Workloads,
                agents = result.Agents,
                requests = result.Requests,
                failed_requests = result.FailedRequests,
                failure_reasons = result.FailureReasons,
                not_reissued = result.NotReissued,
                reissued_p50_ms = Percentile(times, 0.50),
                reissued_p95_ms = Percentile(times, 0.95),
                reissued_max_ms = times.Count > 0 ? times[^1] : (double?)null,
                old_key_removed_ms = result.OldKeyRemoved?.TotalMilliseconds,
                upstream_authority = result.UnderUpstreamAuthority,
                traffic_seconds = result.TrafficDuration.TotalSeconds,
                passed = result.Passed,
            }));
            return;
        }

        var c = CultureInfo.InvariantCulture;
        Console.WriteLine();
        Console.WriteLine(string.Create(c, $"workloads            {result.Workloads} on {result.Agents} agent(s)"));
        Console.WriteLine(string.Create(c, $"requests             {result.Requests} over {result.TrafficDuration.TotalSeconds:0.0} s ({result.Requests / Math.Max(result.TrafficDuration.TotalSeconds, 0.001):0}/s), {result.FailedRequests} failed"));
        foreach (var (reason, count) in result.FailureReasons)
        {
            Console.WriteLine(string.Create(c, $"  failed ×{count}: {ConsoleLog.Sanitize(reason)}"));
        }

        Console.WriteLine(times.Count > 0
            ? string.Create(c, $"new-key SVID held    p50 {Percentile(times, 0.50):0} ms, p95 {Percentile(times, 0.95):0} ms, all {times[^1]:0} ms after the rotate command")
            : "new-key SVID held    by no workload");
        if (result.NotReissued > 0)
        {
            Console.WriteLine(string.Create(c, $"  {result.NotReissued} workload(s) still held an SVID from the old key at the end"));
        }

        Console.WriteLine(result.UnderUpstreamAuthority
            ? "old key             under an upstream authority the bundles hold its root: the old intermediate stays trusted by relying parties until it expires or the upstream CA revokes it"
            : result.OldKeyRemoved is { } removed
                ? string.Create(c, $"old key left bundles {removed.TotalMilliseconds:0} ms after the rotate command")
                : "old key left bundles not within the drill (it stays until re-issuance is complete or `tessera ca remove --force`)");
        Console.WriteLine(result.Passed ? "PASS: no request failed and every workload holds an SVID from the new key" : "FAIL: see above");
    }

    private static double? Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
