using Tessera.Agent.Internal;
using Tessera.Agent.Sync;

namespace Tessera.Agent.Tests.Internal;

public sealed class BackoffTests
{
    [Fact]
    public void Next_SyncSchedule_DoublesFrom200MsToTenSecondsWithJitter()
    {
        var backoff = new Backoff(SyncService.InitialBackoff, SyncService.MaxBackoff);
        var step = TimeSpan.FromMilliseconds(200);
        for (var i = 0; i < 12; i++)
        {
            var delay = backoff.Next();
            Assert.InRange(delay, step / 2, step);
            step = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(10).Ticks, step.Ticks * 2));
        }

        backoff.Reset();
        Assert.InRange(backoff.Next(), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Next_ManyAgents_DoNotRetryInLockStep()
    {
        var delays = Enumerable.Range(0, 50).Select(_ => new Backoff(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10)).Next()).ToHashSet();

        Assert.True(delays.Count > 40);
    }
}
