namespace Tessera.Spiffe.WorkloadApi.Internal;

/// <summary>
/// Follows one Workload API stream for a source: applies every message, and when the stream fails or ends (an agent
/// restart, a dropped socket) reconnects after an exponential backoff with jitter, keeping the last good data
/// meanwhile. The first applied message completes <see cref="WaitReadyAsync"/>.
/// </summary>
internal sealed class StreamWatcher<T> : IAsyncDisposable
{
    private readonly Func<CancellationToken, IAsyncEnumerable<T>> _open;
    private readonly Action<T> _apply;
    private readonly WorkloadApiSourceOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private volatile Exception? _lastError;

    public StreamWatcher(Func<CancellationToken, IAsyncEnumerable<T>> open, Action<T> apply, WorkloadApiSourceOptions options)
    {
        _open = open;
        _apply = apply;
        _options = options;
    }

    /// <summary>Gets the failure of the latest attempt, or null while the stream is healthy.</summary>
    public Exception? LastError => _lastError;

    /// <summary>Gets whether the watch loop is still running (for tests of disposal).</summary>
    public bool IsRunning => !_loop.IsCompleted;

    /// <summary>Starts the watch loop on the thread pool.</summary>
    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Completes once a first message has been applied; false when <paramref name="timeout"/> passed first.</summary>
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

    /// <summary>Stops the loop and waits for it to finish; the stream is cancelled.</summary>
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
                    _apply(item);
                    _lastError = null;
                    backoff.Reset();
                    _ready.TrySetResult();
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
