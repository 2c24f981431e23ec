using System.Diagnostics.CodeAnalysis;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.WorkloadApi.Internal;

namespace Tessera.Spiffe.WorkloadApi;

/// <summary>
/// JWT-SVIDs fetched on demand and the JWT bundles of every trust domain kept up to date from a Workload API watch
/// (go-spiffe's <c>workloadapi.JWTSource</c>). When the stream fails it reconnects with backoff and keeps the last
/// good bundles meanwhile. Thread-safe.
/// </summary>
public sealed class JwtSource : IJwtBundleSource, IDisposable, IAsyncDisposable
{
    private readonly WorkloadApiClient _client;
    private readonly StreamWatcher<BundleSet> _watcher;
    private readonly TimeProvider _timeProvider;
    private readonly JwtSvidBinding _binding;
    private volatile BundleSet? _bundles;
    private int _disposed;

    private JwtSource(WorkloadApiClient client, WorkloadApiSourceOptions options)
    {
        _client = client;
        _timeProvider = options.TimeProvider;
        _binding = options.JwtBinding;
        _watcher = new StreamWatcher<BundleSet>(client.WatchJwtBundlesAsync, Apply, options);
    }

    /// <summary>Raised after every JWT bundle update the Workload API sends, on a thread-pool thread.</summary>
    public event EventHandler? Updated;

    /// <summary>Gets the path of the Workload API socket.</summary>
    public string SocketPath => _client.SocketPath;

    /// <summary>Gets whether a watch loop is still running (false once disposed).</summary>
    internal bool IsWatching => _watcher.IsRunning;

    /// <summary>Gets the current JWT bundles of every trust domain.</summary>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public BundleSet Bundles
    {
        get
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return _bundles!;
        }
    }

    /// <summary>Creates a source and waits for the first JWT bundles from the Workload API.</summary>
    /// <exception cref="ArgumentException">The address or an option is invalid.</exception>
    /// <exception cref="TimeoutException">No bundles came within <see cref="WorkloadApiSourceOptions.InitialTimeout"/>; the message names the socket and the last error.</exception>
    public static async Task<JwtSource> CreateAsync(WorkloadApiSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new WorkloadApiSourceOptions();
        options.Validate();
        var source = new JwtSource(new WorkloadApiClient(new WorkloadApiClientOptions { Address = options.Address, CallTimeout = options.CallTimeout }), options);
        try
        {
            source._watcher.Start();
            if (!await source._watcher.WaitReadyAsync(options.InitialTimeout, cancellationToken).ConfigureAwait(false))
            {
                throw new TimeoutException(SourceEvents.TimeoutMessage("JWT bundles", source.SocketPath, options.InitialTimeout, source._watcher.LastError));
            }

            return source;
        }
        catch
        {
            await source.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Fetches a JWT-SVID for <paramref name="audience"/> from the Workload API, bound to the caller's X509-SVID when
    /// <see cref="WorkloadApiSourceOptions.JwtBinding"/> says so; see <see cref="WorkloadApiClient.FetchJwtSvidAsync"/>.
    /// </summary>
    /// <exception cref="WorkloadApiException">The call failed (<see cref="WorkloadApiException.IsPermissionDenied"/> when no identity is issued).</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public Task<JwtSvid> FetchJwtSvidAsync(string audience, IEnumerable<string>? extraAudiences = null, SpiffeId? spiffeId = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _client.FetchJwtSvidAsync(audience, extraAudiences, spiffeId, _binding, cancellationToken);
    }

    /// <summary>Fetches a JWT-SVID for every identity of the caller; see <see cref="WorkloadApiClient.FetchJwtSvidsAsync"/>.</summary>
    /// <exception cref="WorkloadApiException">The call failed.</exception>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public Task<IReadOnlyList<JwtSvid>> FetchJwtSvidsAsync(string audience, IEnumerable<string>? extraAudiences = null, SpiffeId? spiffeId = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _client.FetchJwtSvidsAsync(audience, extraAudiences, spiffeId, _binding, cancellationToken);
    }

    /// <summary>
    /// Validates a peer's JWT-SVID locally against the current JWT bundles (signature, audience, times), without a
    /// round trip to the agent. Rejections are results, never exceptions.
    /// </summary>
    /// <param name="token">The token in compact serialization.</param>
    /// <param name="audience">The audience this workload identifies as.</param>
    /// <param name="leeway">Clock skew allowed for <c>exp</c>, <c>nbf</c> and <c>iat</c>; default none.</param>
    /// <exception cref="ObjectDisposedException">The source is disposed.</exception>
    public JwtSvidValidationResult Validate(string token, string audience, TimeSpan leeway = default) =>
        JwtSvidValidator.Validate(token, Bundles, audience, _timeProvider, leeway);

    /// <inheritdoc/>
    public bool TryGetJwtBundle(TrustDomain trustDomain, [NotNullWhen(true)] out JwtBundle? bundle) =>
        Bundles.TryGetJwtBundle(trustDomain, out bundle);

    /// <summary>Stops watching the Workload API and waits for the watch loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StreamWatcher<BundleSet>.StopAsync(_client, _watcher).ConfigureAwait(false);
    }

    /// <summary>Stops watching the Workload API and waits for the watch loop to end.</summary>
    // Blocking is acceptable here: the loop only awaits operations that end as soon as they are cancelled.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void Apply(BundleSet bundles)
    {
        _bundles = bundles;
        SourceEvents.Raise(Updated, this);
    }
}
