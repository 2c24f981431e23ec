using Grpc.Core;

namespace Tessera.Agent.Tests.WorkloadApi;

/// <summary>Time-boxed reads from server streams.</summary>
internal static class StreamReading
{
    /// <summary>Returns the next message, failing the test if none arrives within the host's timeout.</summary>
    public static Task<T> NextAsync<T>(this IAsyncStreamReader<T> reader) => reader.NextAsync(WorkloadApiHost.Timeout);

    /// <summary>Returns the next message, failing the test if none arrives within <paramref name="timeout"/>.</summary>
    public static async Task<T> NextAsync<T>(this IAsyncStreamReader<T> reader, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        Assert.True(await reader.MoveNext(cts.Token), "the stream ended instead of sending a message");
        return reader.Current;
    }

    /// <summary>Starts waiting for the next message and asserts that none arrives within <paramref name="quiet"/>.</summary>
    public static async Task<Task<bool>> AssertQuietAsync<T>(this IAsyncStreamReader<T> reader, TimeSpan quiet)
    {
        var next = reader.MoveNext(CancellationToken.None);
        var winner = await Task.WhenAny(next, Task.Delay(quiet));
        Assert.NotSame(next, winner);
        return next;
    }

    /// <summary>Asserts that <paramref name="call"/> fails with exactly <paramref name="code"/> and <paramref name="detail"/>.</summary>
    public static async Task AssertStatusAsync(Func<Task> call, StatusCode code, string detail)
    {
        var ex = await Assert.ThrowsAsync<RpcException>(() => call().WaitAsync(WorkloadApiHost.Timeout));
        Assert.Equal(code, ex.StatusCode);
        Assert.Equal(detail, ex.Status.Detail);
    }
}
