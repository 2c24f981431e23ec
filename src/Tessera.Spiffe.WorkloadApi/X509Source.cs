using System.Diagnostics.CodeAnalysis;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.WorkloadApi.Internal;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.WorkloadApi;

/// <summary>
/// The workload's current X509-SVID and X.509 bundles, kept up to date from a Workload API watch (go-spiffe's
/// <c>workloadapi.X509Source</c>). When the stream fails (an agent restart) it reconnects with backoff and keeps
/// serving the last good context meanwhile. Thread-safe.
/// </summary>
/// <remarks>
/// Replaced SVIDs are not disposed: a TLS handshake may still be using one. Their keys and certificates are
/// released by the garbage collector once nothing refers to them.
/// </remarks>
public sealed class X509Source : IX509SvidSource, IX509BundleSource, IDisposable, IAsyncDisposable
{
    private readonly WorkloadApiClient _client;
    private readonly StreamWatcher<X509Context> _watcher;
    private volatile X509Context? _context;
    private int _disposed;

    private X509Source(WorkloadApiClient client, WorkloadApiSourceOptions options)
    {
        _client = client;
        _watcher = new StreamWatcher<X509Context>(client.WatchX509ContextAsync, Apply, options);
    }

    /// <summary>Raised after every update the Workload API sends (rotation, bundle change), on a thread-pool thread.</summary>
    public event EventHandler? Updated;

    /// <summary>Gets the path of the Workload API socket.</summary>
    public string SocketPath => _client.SocketPath;

    /// <summary>Gets whether a watch loop is still running (false once disposed).</summary>
    internal bool IsWatching => _watcher.IsRunning;

    /// <summary>Gets the latest X.509 context (every SVID and bundle).</summary>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public X509Context Context
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _context!;
        }
    }

    /// <summary>Gets the current default X509-SVID (the first the Workload API sent).</summary>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public X509Svid Svid => Context.DefaultSvid;

    /// <summary>Gets the current X.509 bundles of the workload's own and every federated trust domain.</summary>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public BundleSet Bundles => Context.Bundles;

    /// <summary>Creates a source and waits for the first X.509 context from the Workload API.</summary>
    /// <exception cref="ArgumentException">The address or an option is invalid.</exception>
    /// <exception cref="TimeoutException">No context came within <see cref="WorkloadApiSourceOptions.InitialTimeout"/>; the message names the socket and the last error.</exception>
    public static async Task<X509Source> CreateAsync(WorkloadApiSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WorkloadApiSourceOptions();
        options.Validate();
        var source = new X509Source(new WorkloadApiClient(new WorkloadApiClientOptions { Address = options.Address, CallTimeout = options.CallTimeout }), options);
        try
        {
            source._watcher.Start();
            if (!await source._watcher.WaitReadyAsync(options.InitialTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new TimeoutException(SourceEvents.TimeoutMessage("X.509 context", source.SocketPath, options.InitialTimeout, source._watcher.LastError));
            }

            return source;
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public X509Svid GetX509Svid() => Svid;

    /// <inheritdoc/>
    public bool TryGetX509Bundle(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle) =>
        Bundles.TryGetX509Bundle(trustDomain, out bundle);

    /// <summary>Stops watching the Workload API and waits for the watch loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StreamWatcher<X509Context>.StopAsync(_client, _watcher).ConfigureAwait(false);
    }

    /// <summary>Stops watching the Workload API and waits for the watch loop to end.</summary>
    // Blocking is acceptable here: the loop only awaits operations that end as soon as they are cancelled.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Apply(X509Context context)
    {
        _context = context;
        SourceEvents.Raise(Updated, this);
    }
}
