using Grpc.Core;
using Tessera.Spiffe.Revocation;
using Tessera.Spiffe.WorkloadApi.Internal;

namespace Tessera.Spiffe.WorkloadApi;

/// <summary>
/// The revocation deny list, kept up to date from the Tessera agent's <c>WatchDenyList</c> stream (a Tessera
/// extension of the Workload API, served on the same socket). Give it to <c>SpiffeTlsOptions.DenyList</c>, Kestrel's
/// <c>UseSpiffeMtls</c> or the JWT-SVID scheme so they refuse revoked credentials that are unexpired and correctly
/// signed. Reconnects with backoff when the stream fails and keeps the last good list meanwhile (revocations are
/// never forgotten because the agent went away). Thread-safe.
/// </summary>
public sealed class DenyListSource : IDenyListSource, IDisposable, IAsyncDisposable
{
    private readonly WorkloadApiClient _client;
    private readonly StreamWatcher<DenyListUpdate> _watcher;
    private volatile DenyListUpdate _current = new(0, DenyList.Empty);
    private int _disposed;

    private DenyListSource(WorkloadApiClient client, WorkloadApiSourceOptions options)
    {
        _client = client;
        _watcher = new StreamWatcher<DenyListUpdate>(client.WatchDenyListAsync, Apply, options, IsNotServed);
    }

    /// <summary>Raised after every deny-list message the agent sends, on a thread-pool thread.</summary>
    public event EventHandler? Updated;

    /// <summary>Gets the path of the Workload API socket.</summary>
    public string SocketPath => _client.SocketPath;

    /// <summary>Gets the current deny list.</summary>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public DenyList DenyList
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _current.DenyList;
        }
    }

    /// <summary>Gets the version of the current list, as the agent numbered it (0 before the first message).</summary>
    public ulong Version => _current.Version;

    /// <summary>Gets whether the watch loop is still running (false once disposed, or after the agent said it does not serve the list).</summary>
    internal bool IsWatching => _watcher.IsRunning;

    /// <summary>Creates a source and waits for the first deny list from the agent.</summary>
    /// <exception cref="ArgumentException">The address or an option is invalid.</exception>
    /// <exception cref="WorkloadApiException">
    /// <see cref="StatusCode.Unimplemented"/>: the agent does not serve Tessera's deny list (it is not a Tessera
    /// agent); the message says so.
    /// </exception>
    /// <exception cref="TimeoutException">No list came within <see cref="WorkloadApiSourceOptions.InitialTimeout"/>.</exception>
    public static async Task<DenyListSource> CreateAsync(WorkloadApiSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WorkloadApiSourceOptions();
        options.Validate();
        var source = new DenyListSource(new WorkloadApiClient(new WorkloadApiClientOptions { Address = options.Address, CallTimeout = options.CallTimeout }), options);
        try
        {
            source._watcher.Start();
            if (!await source._watcher.WaitReadyAsync(options.InitialTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new TimeoutException(SourceEvents.TimeoutMessage("deny list", source.SocketPath, options.InitialTimeout, source._watcher.LastError));
            }

            return source;
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops watching the agent and waits for the watch loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StreamWatcher<DenyListUpdate>.StopAsync(_client, _watcher).ConfigureAwait(false);
    }

    /// <summary>Stops watching the agent and waits for the watch loop to end.</summary>
    // Blocking is acceptable here: the loop only awaits operations that end as soon as they are cancelled.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    // Retrying cannot make a non-Tessera agent serve the list; failing at once beats waiting out InitialTimeout.
    private static bool IsNotServed(Exception exception) =>
        exception is WorkloadApiException { StatusCode: StatusCode.Unimplemented };

    private void Apply(DenyListUpdate update)
    {
        // A reconnect to a restarted agent starts the versions again; its list is still the agent's whole truth.
        _current = update;
        SourceEvents.Raise(Updated, this);
    }
}
