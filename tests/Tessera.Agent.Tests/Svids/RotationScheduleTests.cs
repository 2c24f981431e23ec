using Tessera.Agent.Svids;

namespace Tessera.Agent.Tests.Svids;

public sealed class RotationScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.0, 24)]
    [InlineData(0.5, 30)]
    [InlineData(0.999999, 36)]
    public void Compute_HalfLifePlusOrMinusTenPercent(double unit, int expectedMinutes)
    {
        var at = RotationSchedule.Compute(Start, Start.AddHours(1), unit);

        Assert.Equal(expectedMinutes, Math.Round((at - Start).TotalMinutes));
    }
}
