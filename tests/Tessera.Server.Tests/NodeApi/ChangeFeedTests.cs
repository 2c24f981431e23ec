using Tessera.Server.NodeApi;

namespace Tessera.Server.Tests.NodeApi;

public sealed class ChangeFeedTests
{
    [Fact]
    public async Task WaitAsync_SignalAfterwards_Completes()
    {
        var feed = new ChangeFeed();
        var seen = feed.Version;
        var waiting = feed.WaitAsync(seen, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        feed.Signal();

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(seen + 1, feed.Version);
    }

    [Fact]
    public void WaitAsync_ChangedSinceSeen_CompletesAtOnce()
    {
        var feed = new ChangeFeed();
        var seen = feed.Version;
        feed.Signal();
        feed.Signal();

        Assert.True(feed.WaitAsync(seen, CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_Throws()
    {
        var feed = new ChangeFeed();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => feed.WaitAsync(feed.Version, cts.Token));
    }
}
