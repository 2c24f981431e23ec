using Tessera.Cli.Drill;

namespace Tessera.Cli.Tests.Drill;

public sealed class DrillReportTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact]
    public void Verdict_AllWithinBound_PassAndExitZero()
    {
        var report = Report(
            DrillStatisticsTests.Sample("svid-serial", "proxy (new connection)", 1, 120, 60, "closed"),
            DrillStatisticsTests.Sample("jwt-jti", "agent ValidateJWTSVID", 1, 80, 40, "revoked"));

        Assert.True(report.Passed);
        Assert.Equal(0, report.ExitCode);
        Assert.Equal("PASS: every enforcement point refused every revoked canary credential within 2 s (2 measurements, 1 round)", report.Verdict);
    }

    [Fact]
    public void Verdict_StillAcceptedAndLate_FailNamesEachAndExitOne()
    {
        var report = Report(
            DrillStatisticsTests.Sample("svid-serial", "Workload API stream", 1, 100, 50, "new serial"),
            new DrillSample("svid-serial", "tessera proxy (established)", 1, null, null, "still accepted after 7 s (echoed)"),
            DrillStatisticsTests.Sample("jwt-id", "agent ValidateJWTSVID", 1, 3500, 3400, "revoked"));

        Assert.False(report.Passed);
        Assert.Equal(1, report.ExitCode);
        Assert.Equal(
            "FAIL: 2 of 3 measurements not refused within 2 s: svid-serial at tessera proxy (established): still accepted in 1 of 1; "
            + "jwt-id at agent ValidateJWTSVID: refused after 3500 ms in 1 of 1",
            report.Verdict);
    }

    [Fact]
    public void Verdict_NothingMeasured_Fails()
    {
        var report = Report();

        Assert.False(report.Passed);
        Assert.Equal("FAIL: nothing was measured", report.Verdict);
    }

    [Theory]
    [InlineData(2000, "2 s")]
    [InlineData(1500, "1500 ms")]
    [InlineData(81.4, "81 ms")]
    [InlineData(12_340, "12.3 s")]
    public void Duration_Formats(double milliseconds, string expected) => Assert.Equal(expected, DrillFormat.Duration(TimeSpan.FromMilliseconds(milliseconds)));

    [Fact]
    public void Duration_None_IsDash() => Assert.Equal("-", DrillFormat.Duration(null));

    internal static DrillReport Report(params DrillSample[] samples) =>
        new("abcd1234", Bound, 1, DrillStatistics.Rows(samples, Bound), samples, ["server CRL: not checked (--no-crl)"]);
}
