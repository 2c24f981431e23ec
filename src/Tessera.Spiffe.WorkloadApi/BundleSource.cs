using System.Diagnostics.CodeAnalysis;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.WorkloadApi.Internal;

namespace Tessera.Spiffe.WorkloadApi;

/// <summary>
/// The X.509 and JWT bundles of every trust domain, kept up to date from two Workload API watches (go-spiffe's
/// <c>workloadapi.BundleSource</c>): for workloads that verify peers without holding an identity. Reconnects with
/// backoff when a stream fails and keeps the last good bundles meanwhile. Thread-safe.
/// </summary>
public sealed class BundleSource : IX509BundleSource, IJwtBundleSource, IDisposable, IAsyncDisposable
{
    private readonly WorkloadApiClient _client;
    private readonly StreamWatcher<BundleSet> _x509Watcher;
    private readonly StreamWatcher<BundleSet> _jwtWatcher;
    private readonly Lock _gate = new();
    private BundleSet _x509 = new();
    private BundleSet _jwt = new();
    private volatile BundleSet _merged = new();
    private int _disposed;

    private BundleSource(WorkloadApiClient client, WorkloadApiSourceOptions options)
    {
        _client = client;
        _x509Watcher = new StreamWatcher<BundleSet>(client.WatchX509BundlesAsync, b => Apply(x509: b, jwt: null), options);
        _jwtWatcher = new StreamWatcher<BundleSet>(client.WatchJwtBundlesAsync, b => Apply(x509: null, jwt: b), options);
    }

    /// <summary>Raised after every X.509 or JWT bundle update the Workload API sends, on a thread-pool thread.</summary>
    public event EventHandler? Updated;

    /// <summary>Gets the path of the Workload API socket.</summary>
    public string SocketPath => _client.SocketPath;

    /// <summary>Gets whether a watch loop is still running (false once disposed).</summary>
    internal bool IsWatching => _x509Watcher.IsRunning || _jwtWatcher.IsRunning;

    /// <summary>Gets the current bundles: one per trust domain, with its X.509 and JWT authorities.</summary>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public BundleSet Bundles
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _merged;
        }
    }

    /// <summary>Creates a source and waits for the first X.509 and JWT bundles from the Workload API.</summary>
    /// <exception cref="ArgumentException">The address or an option is invalid.</exception>
    /// <exception cref="TimeoutException">Either kind of bundle did not come within <see cref="WorkloadApiSourceOptions.InitialTimeout"/>.</exception>
    public static async Task<BundleSource> CreateAsync(WorkloadApiSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WorkloadApiSourceOptions();
        options.Validate();
        var source = new BundleSource(new WorkloadApiClient(new WorkloadApiClientOptions { Address = options.Address, CallTimeout = options.CallTimeout }), options);
        try
        {
            source._x509Watcher.Start();
            source._jwtWatcher.Start();
            var started = options.TimeProvider.GetTimestamp();
            if (!await source._x509Watcher.WaitReadyAsync(options.InitialTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new TimeoutException(SourceEvents.TimeoutMessage("X.509 bundles", source.SocketPath, options.InitialTimeout, source._x509Watcher.LastError));
            }

            var left = options.InitialTimeout - options.TimeProvider.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || !await source._jwtWatcher.WaitReadyAsync(left, cancellationToken).ConfigureAwait(false))
            {
                throw new TimeoutException(SourceEvents.TimeoutMessage("JWT bundles", source.SocketPath, options.InitialTimeout, source._jwtWatcher.LastError));
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
    public bool TryGetX509Bundle(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle)
    {
        bundle = Bundles.TryGet(trustDomain, out var spiffe) && !spiffe.X509Bundle.IsEmpty ? spiffe.X509Bundle : null;
        return bundle is not null;
    }

    /// <inheritdoc/>
    public bool TryGetJwtBundle(TrustDomain trustDomain, [NotNullWhen(true)] out JwtBundle? bundle)
    {
        bundle = Bundles.TryGet(trustDomain, out var spiffe) && !spiffe.JwtBundle.IsEmpty ? spiffe.JwtBundle : null;
        return bundle is not null;
    }

    /// <summary>Stops watching the Workload API and waits for both watch loops to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StreamWatcher<BundleSet>.StopAsync(_client, _x509Watcher, _jwtWatcher).ConfigureAwait(false);
    }

    /// <summary>Stops watching the Workload API and waits for both watch loops to end.</summary>
    // Blocking is acceptable here: the loops only await operations that end as soon as they are cancelled.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Apply(BundleSet? x509, BundleSet? jwt)
    {
        lock (_gate)
        {
            _x509 = x509 ?? _x509;
            _jwt = jwt ?? _jwt;
            var merged = new BundleSet();
            foreach (var trustDomain in _x509.TrustDomains.Union(_jwt.TrustDomains))
            {
                _x509.TryGetX509Bundle(trustDomain, out var x509Bundle);
                _jwt.TryGetJwtBundle(trustDomain, out var jwtBundle);
                merged.Add(new SpiffeBundle(trustDomain, x509Bundle, jwtBundle));
            }

            _merged = merged;
        }

        SourceEvents.Raise(Updated, this);
    }
}
