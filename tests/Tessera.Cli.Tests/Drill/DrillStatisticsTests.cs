using Tessera.Cli.Drill;

namespace Tessera.Cli.Tests.Drill;

public sealed class DrillStatisticsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData(new[] { 40.0 }, 40.0)]
    [InlineData(new[] { 40.0, 10.0 }, 10.0)]
    [InlineData(new[] { 30.0, 10.0, 20.0 }, 20.0)]
    [InlineData(new[] { 40.0, 10.0, 30.0, 20.0 }, 20.0)]
    public void Percentile_P50_IsNearestRankMedian(double[] milliseconds, double expected)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expected), DrillStatistics.Percentile([.. milliseconds.Select(TimeSpan.FromMilliseconds)], 0.5));
    }

    [Fact]
    public void Percentile_NoValues_IsNull() => Assert.Null(DrillStatistics.Percentile([], 0.5));

    [Fact]
    public void Percentile_ZeroRank_Throws() => Assert.Throws<ArgumentOutOfRangeException>(() => DrillStatistics.Percentile([TimeSpan.Zero], 0));

    [Fact]
    public void Rows_AllRefusedWithinBound_P50MaxAndNothingOver()
    {
        var rows = DrillStatistics.Rows(
        [
            Sample("svid-serial", "proxy", 1, 100, 60, "closed"),
            Sample("svid-serial", "proxy", 2, 300, 250, "reset"),
            Sample("svid-serial", "proxy", 3, 200, 150, "closed"),
        ], Bound);

        var row = Assert.Single(rows);
        Assert.Equal(("svid-serial", "proxy", 3), (row.Kind, row.Point, row.Rounds));
        Assert.Equal(TimeSpan.FromMilliseconds(200), row.P50);
        Assert.Equal(TimeSpan.FromMilliseconds(300), row.Max);
        Assert.Equal(TimeSpan.FromMilliseconds(150), row.P50SinceReturned);
        Assert.Equal((0, 0), (row.OverBound, row.StillAccepted));
        Assert.Equal("closed", row.Detail);
        Assert.True(row.Passed);
    }

    [Fact]
    public void Rows_LateAndNeverRefused_CountedOverBoundAndStillAccepted()
    {
        var rows = DrillStatistics.Rows(
        [
            Sample("jwt-jti", "agent", 1, 2500, 2400, "revoked"),
            new DrillSample("jwt-jti", "agent", 2, null, null, "still accepted after 7 s (accepted)"),
            Sample("jwt-jti", "agent", 3, 2000, 1900, "revoked"),
        ], Bound);

        var row = Assert.Single(rows);
        Assert.Equal(2, row.OverBound); // 2.5 s is over; exactly 2 s is within; never is over
        Assert.Equal(1, row.StillAccepted);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), row.Max);
        Assert.Equal(TimeSpan.FromMilliseconds(2000), row.P50);
        Assert.Equal("revoked", row.Detail);
        Assert.False(row.Passed);
    }

    [Fact]
    public void Rows_NeverRefused_NoTimesAndTheAcceptanceShown()
    {
        var row = Assert.Single(DrillStatistics.Rows([new DrillSample("svid-id", "proxy", 1, null, null, "still accepted after 7 s (echoed)")], Bound));

        Assert.Null(row.P50);
        Assert.Null(row.Max);
        Assert.Equal("still accepted after 7 s (echoed)", row.Detail);
    }

    [Fact]
    public void Rows_KeepFirstMeasuredOrder()
    {
        var rows = DrillStatistics.Rows(
        [
            Sample("svid-serial", "b", 1, 1, 1, "x"),
            Sample("svid-serial", "a", 1, 1, 1, "x"),
            Sample("jwt-jti", "c", 1, 1, 1, "x"),
            Sample("svid-serial", "b", 2, 1, 1, "x"),
        ], Bound);

        Assert.Equal(["svid-serial/b", "svid-serial/a", "jwt-jti/c"], rows.Select(r => $"{r.Kind}/{r.Point}"));
        Assert.Equal(2, rows[0].Rounds);
    }

    internal static DrillSample Sample(string kind, string point, int round, double sent, double returned, string detail) =>
        new(kind, point, round, TimeSpan.FromMilliseconds(sent), TimeSpan.FromMilliseconds(returned), detail);
}
