using Tessera.Server.Federation;

namespace Tessera.Server.Tests.Federation;

public sealed class RefreshScheduleTests
{
    [Theory]
    [InlineData(7, 7)]
    [InlineData(0, 5)]
    [InlineData(1, 5)]
    [InlineData(86400, 3600)]
    public void AfterSuccess_Hint_BoundedByMinAndMax(int hintSeconds, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), RefreshSchedule.AfterSuccess(TimeSpan.FromSeconds(hintSeconds)));

    [Fact]
    public void AfterSuccess_NoHint_FiveMinutes() => Assert.Equal(TimeSpan.FromMinutes(5), RefreshSchedule.AfterSuccess(null));

    [Fact]
    public void AfterFailure_ManyFailures_CappedAtMaxRetry() =>
        Assert.Equal(RefreshSchedule.MaxRetry, RefreshSchedule.AfterFailure(40, TimeSpan.FromHours(1)));

    [Fact]
    public void AfterFailure_NeverLaterThanTheRegularRefresh() =>
        Assert.Equal(TimeSpan.FromSeconds(10), RefreshSchedule.AfterFailure(6, TimeSpan.FromSeconds(10)));
}
