using Tessera.Cli.Internal;

namespace Tessera.Cli.Drill;

/// <summary>What a drill found: the table rows, the notes (points skipped and why), the verdict and the exit code.</summary>
internal sealed record DrillReport(string RunId, TimeSpan Bound, int Rounds, IReadOnlyList<DrillRow> Rows, IReadOnlyList<DrillSample> Samples, IReadOnlyList<string> Notes)
{
    /// <summary>Gets whether every enforcement point refused every revoked canary credential within the bound.</summary>
    public bool Passed => Rows.Count > 0 && Rows.All(r => r.Passed);

    /// <summary>Gets the process exit code: <see cref="ExitCodes.Ok"/> when passed, else <see cref="ExitCodes.Rejected"/>.</summary>
    public int ExitCode => Passed ? ExitCodes.Ok : ExitCodes.Rejected;

    /// <summary>Gets the one-line verdict printed under the table.</summary>
    public string Verdict
    {
        get
        {
            var bound = DrillFormat.Duration(Bound);
            if (Passed)
            {
                return $"PASS: every enforcement point refused every revoked canary credential within {bound} ({Samples.Count} measurements, {Rounds} round{(Rounds == 1 ? string.Empty : "s")})";
            }

            if (Rows.Count == 0)
            {
                return "FAIL: nothing was measured";
            }

            var failed = Rows.Where(r => !r.Passed).Select(r => r.StillAccepted > 0
                ? $"{r.Kind} at {r.Point}: still accepted in {r.StillAccepted} of {r.Rounds}"
                : $"{r.Kind} at {r.Point}: refused after {DrillFormat.Duration(r.Max)} in {r.OverBound} of {r.Rounds}");
            return $"FAIL: {Rows.Sum(r => r.OverBound)} of {Samples.Count} measurements not refused within {bound}: {string.Join("; ", failed)}";
        }
    }
}
