using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.WorkloadApi;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Drill;

/// <summary>
/// Follows the drill's own Workload API X.509 stream (reconnecting when it fails, e.g. while the process has no
/// identity yet) and keeps the serials it currently serves per SPIFFE ID, plus the latest bundles. Waiters are
/// woken on every update, so the Workload API enforcement point sees a dropped SVID as soon as the stream says so.
/// </summary>
internal sealed class CanaryWatch : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(100);
    private readonly WorkloadApiClient _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private Dictionary<SpiffeId, X509Svid> _served = [];
    private BundleSet? _bundles;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _lastError = "no answer yet";

    public CanaryWatch(WorkloadApiClient client)
    {
        _client = client;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Gets the latest bundles the stream sent (null before its first message).</summary>
    public BundleSet? Bundles
    {
        get
        {
            lock (_gate)
            {
                return _bundles;
            }
        }
    }

    /// <summary>Gets the last reason the stream failed, for error messages.</summary>
    public string LastError
    {
        get
        {
            lock (_gate)
            {
                return _lastError;
            }
        }
    }

    /// <summary>Returns the serial currently served for <paramref name="id"/>, or null when the stream does not serve it.</summary>
    public string? ServedSerial(SpiffeId id)
    {
        lock (_gate)
        {
            return _served.TryGetValue(id, out var svid) ? svid.Certificate.SerialNumber : null;
        }
    }

    /// <summary>Returns a private copy of the SVID currently served for <paramref name="id"/> (the caller disposes it), or null.</summary>
    public X509Svid? CopySvid(SpiffeId id)
    {
        lock (_gate)
        {
            if (!_served.TryGetValue(id, out var svid))
            {
                return null;
            }

            var (certificates, key) = svid.ExportPem();
            return X509Svid.Parse(System.Text.Encoding.ASCII.GetBytes(certificates), System.Text.Encoding.ASCII.GetBytes(key));
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking it on every stream update; false at the deadline.</summary>
    public async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return true;
            }

            try
            {
                await changed.WaitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return condition();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        lock (_gate)
        {
            foreach (var svid in _served.Values)
            {
                svid.Dispose();
            }

            _served = [];
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await foreach (var context in _client.WatchX509ContextAsync(cancellationToken).ConfigureAwait(false))
                {
                    Publish(ById(context.Svids), context.Bundles, error: null);
                }

                Publish([], bundles: null, "the Workload API ended the stream");
            }
            catch (WorkloadApiException ex)
            {
                // PermissionDenied: the agent serves this process no identity (any more): an empty set is the truth.
                Publish([], bundles: null, ex.Message);
            }

            await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Dictionary<SpiffeId, X509Svid> ById(IReadOnlyList<X509Svid> svids)
    {
        var byId = new Dictionary<SpiffeId, X509Svid>();
        foreach (var svid in svids)
        {
            if (!byId.TryAdd(svid.Id, svid))
            {
                svid.Dispose();
            }
        }

        return byId;
    }

    private void Publish(Dictionary<SpiffeId, X509Svid> served, BundleSet? bundles, string? error)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            foreach (var old in _served.Values)
            {
                old.Dispose();
            }

            _served = served;
            _bundles = bundles ?? _bundles;
            _lastError = error ?? _lastError;
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
