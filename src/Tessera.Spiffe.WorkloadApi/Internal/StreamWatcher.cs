namespace Tessera.Spiffe.WorkloadApi.Internal;

/// <summary>
/// Follows one Workload API stream for a source: applies every message, and when the stream fails or ends (an agent
/// restart, a dropped socket) reconnects after an exponential backoff with jitter, keeping the last good data
/// meanwhile. The first applied message completes <see cref="WaitReadyAsync"/>.
/// </summary>
internal sealed class StreamWatcher<T> : IAsyncDisposable
{
    // The watcher whose message this thread is applying: a source disposed from its own Updated handler must not
    // wait for the loop that is running that very handler.
    [ThreadStatic]
    private static StreamWatcher<T>? t_applying;

    private readonly Func<CancellationToken, IAsyncEnumerable<T>> _open;
    private readonly Action<T> _apply;
    private readonly WorkloadApiSourceOptions _options;
    private readonly Func<Exception, bool>? _isPermanent;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private volatile Exception? _lastError;
    private volatile bool _stopRequested;

    /// <param name="open">Opens the stream.</param>
    /// <param name="apply">Applies one message.</param>
    /// <param name="options">Retry delays and clock.</param>
    /// <param name="isPermanent">
    /// Says which failures retrying cannot cure (the agent does not implement the call): the loop then ends, keeping
    /// the last data, and <see cref="WaitReadyAsync"/> throws the failure instead of waiting for its timeout.
    /// </param>
    public StreamWatcher(Func<CancellationToken, IAsyncEnumerable<T>> open, Action<T> apply, WorkloadApiSourceOptions options, Func<Exception, bool>? isPermanent = null)
    {
        _open = open;
        _apply = apply;
        _options = options;
        _isPermanent = isPermanent;
    }

    /// <summary>Gets the failure of the latest attempt, or null while the stream is healthy.</summary>
    public Exception? LastError => _lastError;

    /// <summary>Gets whether the watch loop is still running (for tests of disposal).</summary>
    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>Starts the watch loop on the thread pool.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>
    /// Completes once a first message has been applied; false when <paramref name="timeout"/> passed first. Throws
    /// the failure that ended the loop when it was permanent.
    /// </summary>
    public async Task<bool> WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _ready.Task.WaitAsync(timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// Stops <paramref name="watchers"/> and then disposes <paramref name="client"/>. Called from a source's own
    /// <c>Updated</c> handler, it cannot wait for the loop running that handler: that loop is told to stop once the
    /// handler returns, and the client is disposed when it has.
    /// </summary>
    public static async ValueTask StopAsync(WorkloadApiClient client, params StreamWatcher<T>[] watchers)
    {
        var running = Array.Find(watchers, w => t_applying == w);
        foreach (var watcher in watchers)
        {
            if (watcher != running)
            {
                await watcher.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (running is null)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            return;
        }

        running._stopRequested = true;
        _ = running._loop.ContinueWith(_ => client.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
    }

    /// <summary>Stops the loop and waits for it to finish; the stream is cancelled. Not for use from inside the loop.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var backoff = new Backoff(_options.MinRetryDelay, _options.MaxRetryDelay);
        while (!token.IsCancellationRequested)
        {
            try
            {
                await foreach (var item in _open(token).WithCancellation(token).ConfigureAwait(false))
                {
                    t_applying = this;
                    try
                    {
                        _apply(item);
                    }
                    finally
                    {
                        t_applying = null;
                    }

                    _lastError = null;
                    backoff.Reset();
                    _ready.TrySetResult();
                    if (_stopRequested)
                    {
                        // Disposed from the handler just run: leaving the loop disposes the stream.
                        return;
                    }
                }

                _lastError = new WorkloadApiException(Grpc.Core.StatusCode.Unavailable, "the Workload API ended the stream");
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // Any failure (refusal, unreachable agent, malformed message) means: keep the last data, retry later.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _lastError = ex;
                if (_isPermanent?.Invoke(ex) == true)
                {
                    _ready.TrySetException(ex);
                    return;
                }
            }

            try
            {
                await Task.Delay(backoff.Next(), _options.TimeProvider, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
