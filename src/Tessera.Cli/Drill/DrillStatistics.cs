namespace Tessera.Cli.Drill;

/// <summary>Folds the samples of every round into table rows: nearest-rank p50 and max per kind and enforcement point.</summary>
internal static class DrillStatistics
{
    /// <summary>Returns one row per (kind, point) in the order they were first measured.</summary>
    public static IReadOnlyList<DrillRow> Rows(IEnumerable<DrillSample> samples, TimeSpan bound)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return [.. samples
            .GroupBy(s => (s.Kind, s.Point))
            .Select(g =>
            {
                var all = g.ToList();
                var refused = all.Where(s => s.Refused).ToList();
                var sinceSent = refused.Select(s => s.SinceSent!.Value).ToList();
                var sinceReturned = refused.Select(s => s.SinceReturned!.Value).ToList();
                var overBound = all.Count(s => s.SinceSent is not { } t || t > bound);
                // The reason shown is a refusal's when any (what the operator should see), else the last acceptance.
                var detail = (refused.LastOrDefault() ?? all[^1]).Detail;
                return new DrillRow(g.Key.Kind, g.Key.Point, all.Count, Percentile(sinceSent, 0.5), sinceSent.Count == 0 ? null : sinceSent.Max(),
                    Percentile(sinceReturned, 0.5), overBound, all.Count - refused.Count, detail);
            })];
    }

    /// <summary>Nearest-rank percentile (the smallest value with at least <paramref name="p"/> of the values at or below it); null for no values.</summary>
    public static TimeSpan? Percentile(IReadOnlyCollection<TimeSpan> values, double p)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(p);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1.0);
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[rank - 1];
    }
}
