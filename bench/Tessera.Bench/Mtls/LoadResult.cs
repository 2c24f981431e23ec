namespace Tessera.Bench.Mtls;

/// <summary>What one load run measured: completed requests per second and latency percentiles in milliseconds.</summary>
internal sealed record LoadResult(long Requests, long Failures, double RequestsPerSecond, double P50, double P99);
