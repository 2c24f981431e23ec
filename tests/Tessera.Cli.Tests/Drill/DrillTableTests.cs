using System.Text.Json;
using Tessera.Cli.Drill;

namespace Tessera.Cli.Tests.Drill;

public sealed class DrillTableTests
{
    [Fact]
    public void Render_AlignedRowsNotesAndVerdict()
    {
        var report = DrillReportTests.Report(
            DrillStatisticsTests.Sample("svid-serial", "tessera proxy (new connection)", 1, 120, 60, "connection closed by the server"),
            new DrillSample("jwt-jti", "agent ValidateJWTSVID", 1, null, null, "still accepted after 7 s (accepted)"));

        var lines = DrillTable.Render(report).Split('\n');

        Assert.Equal("kind         enforcement point               rounds  p50     max     p50 after return  over bound  still accepted  refusal", lines[0]);
        Assert.Equal("svid-serial  tessera proxy (new connection)  1       120 ms  120 ms  60 ms             0           0               connection closed by the server", lines[1]);
        Assert.Equal("jwt-jti      agent ValidateJWTSVID           1       -       -       -                 1           1               still accepted after 7 s (accepted)", lines[2]);
        Assert.Equal(string.Empty, lines[3]);
        Assert.Equal("times: from just before the revocation was sent to the first refusal (p50 after return: from the admin call returning); bound 2 s", lines[4]);
        Assert.Equal("note: server CRL: not checked (--no-crl)", lines[5]);
        Assert.Equal("FAIL: 1 of 2 measurements not refused within 2 s: jwt-jti at agent ValidateJWTSVID: still accepted in 1 of 1", lines[6]);
    }

    [Fact]
    public void Render_LongDetail_Shortened()
    {
        var report = DrillReportTests.Report(DrillStatisticsTests.Sample("jwt-id", "agent", 1, 1, 1, new string('x', 100)));

        var row = DrillTable.Render(report).Split('\n')[1];

        Assert.EndsWith(new string('x', 59) + "…", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_RowsSamplesNotesAndVerdict()
    {
        var report = DrillReportTests.Report(DrillStatisticsTests.Sample("svid-serial", "server CRL", 1, 81.44, 2, "serial AB is listed"));

        var json = JsonDocument.Parse(DrillJson.Render(report)).RootElement;

        Assert.True(json.GetProperty("passed").GetBoolean());
        Assert.Equal("abcd1234", json.GetProperty("run").GetString());
        Assert.Equal(2000, json.GetProperty("bound_ms").GetDouble());
        var row = Assert.Single(json.GetProperty("rows").EnumerateArray());
        Assert.Equal("server CRL", row.GetProperty("point").GetString());
        Assert.Equal(81.4, row.GetProperty("p50_ms").GetDouble());
        Assert.Equal(0, row.GetProperty("over_bound").GetInt32());
        var sample = Assert.Single(json.GetProperty("samples").EnumerateArray());
        Assert.Equal(2, sample.GetProperty("since_returned_ms").GetDouble());
        Assert.Equal("server CRL: not checked (--no-crl)", Assert.Single(json.GetProperty("notes").EnumerateArray()).GetString());
        Assert.StartsWith("PASS: ", json.GetProperty("verdict").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_NeverRefused_NullTimes()
    {
        var report = DrillReportTests.Report(new DrillSample("svid-id", "proxy", 1, null, null, "still accepted"));

        var row = JsonDocument.Parse(DrillJson.Render(report)).RootElement.GetProperty("rows")[0];

        Assert.Equal(JsonValueKind.Null, row.GetProperty("p50_ms").ValueKind);
        Assert.Equal(1, row.GetProperty("still_accepted").GetInt32());
    }
}
