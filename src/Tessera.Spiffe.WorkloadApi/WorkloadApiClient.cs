using System.Runtime.CompilerServices;
using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Contracts.Transport;
using Tessera.Contracts.Workload;
using Tessera.Contracts.Workload.V1;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.WorkloadApi.Internal;

namespace Tessera.Spiffe.WorkloadApi;

/// <summary>
/// A client of the SPIFFE Workload API (SPIFFE Workload API §5) over a Unix socket. Every call carries the
/// security header <c>workload.spiffe.io: true</c> (§4.1); every gRPC failure surfaces as a
/// <see cref="WorkloadApiException"/>. Watches follow one stream and end when it ends or fails: the auto-updating
/// <see cref="X509Source"/>, <see cref="JwtSource"/> and <see cref="BundleSource"/> reconnect with backoff on top
/// of them. Thread-safe; one client may serve many concurrent calls.
/// </summary>
public sealed class WorkloadApiClient : IDisposable, IAsyncDisposable
{
    private const string SecurityHeader = "workload.spiffe.io";

    private readonly GrpcChannel _channel;
    private readonly SpiffeWorkloadAPI.SpiffeWorkloadAPIClient _client;
    private readonly TesseraWorkload.TesseraWorkloadClient _tessera;
    private readonly TimeSpan _callTimeout;

    /// <summary>Creates a client of the Workload API at <paramref name="address"/>, or at <c>SPIFFE_ENDPOINT_SOCKET</c> when null.</summary>
    /// <exception cref="ArgumentException">The address is missing or is not a Unix socket address; the message names the rule.</exception>
    public WorkloadApiClient(string? address = null)
        : this(new WorkloadApiClientOptions { Address = address })
    {
    }

    /// <summary>Creates a client with <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">The address is missing or is not a Unix socket address; the message names the rule.</exception>
    public WorkloadApiClient(WorkloadApiClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.CallTimeout, TimeSpan.Zero, nameof(options));
        SocketPath = WorkloadApiAddress.Resolve(options.Address);
        _callTimeout = options.CallTimeout;
        _channel = UnixSocketChannel.Create(SocketPath);
        _client = new SpiffeWorkloadAPI.SpiffeWorkloadAPIClient(_channel);
        _tessera = new TesseraWorkload.TesseraWorkloadClient(_channel);
    }

    /// <summary>Gets the path of the Unix socket the client connects to.</summary>
    public string SocketPath { get; }

    /// <summary>Returns the first X.509 context the Workload API sends: the caller's SVIDs and every bundle.</summary>
    /// <exception cref="WorkloadApiException">The call failed; <see cref="WorkloadApiException.IsPermissionDenied"/> when no identity is issued to the caller.</exception>
    public Task<X509Context> FetchX509ContextAsync(CancellationToken cancellationToken = default) =>
        FirstAsync(o => _client.FetchX509SVID(new X509SVIDRequest(), o), ResponseReader.ReadX509Context, cancellationToken);

    /// <summary>Yields an X.509 context for every update the Workload API sends, until the stream ends or fails.</summary>
    /// <exception cref="WorkloadApiException">The stream failed.</exception>
    public IAsyncEnumerable<X509Context> WatchX509ContextAsync(CancellationToken cancellationToken = default) =>
        WatchAsync(o => _client.FetchX509SVID(new X509SVIDRequest(), o), ResponseReader.ReadX509Context, cancellationToken);

    /// <summary>Returns the X.509 bundles of every trust domain (for workloads that verify peers but hold no SVID).</summary>
    /// <exception cref="WorkloadApiException">The call failed.</exception>
    public Task<BundleSet> FetchX509BundlesAsync(CancellationToken cancellationToken = default) =>
        FirstAsync(o => _client.FetchX509Bundles(new X509BundlesRequest(), o), ResponseReader.ReadX509Bundles, cancellationToken);

    /// <summary>Yields the X.509 bundles of every trust domain on every update, until the stream ends or fails.</summary>
    /// <exception cref="WorkloadApiException">The stream failed.</exception>
    public IAsyncEnumerable<BundleSet> WatchX509BundlesAsync(CancellationToken cancellationToken = default) =>
        WatchAsync(o => _client.FetchX509Bundles(new X509BundlesRequest(), o), ResponseReader.ReadX509Bundles, cancellationToken);

    /// <summary>Returns the JWT bundles (JWT-SVID signing keys) of every trust domain.</summary>
    /// <exception cref="WorkloadApiException">The call failed.</exception>
    public Task<BundleSet> FetchJwtBundlesAsync(CancellationToken cancellationToken = default) =>
        FirstAsync(o => _client.FetchJWTBundles(new JWTBundlesRequest(), o), ResponseReader.ReadJwtBundles, cancellationToken);

    /// <summary>Yields the JWT bundles of every trust domain on every update, until the stream ends or fails.</summary>
    /// <exception cref="WorkloadApiException">The stream failed.</exception>
    public IAsyncEnumerable<BundleSet> WatchJwtBundlesAsync(CancellationToken cancellationToken = default) =>
        WatchAsync(o => _client.FetchJWTBundles(new JWTBundlesRequest(), o), ResponseReader.ReadJwtBundles, cancellationToken);

    /// <summary>
    /// Yields the revocation deny list (Tessera's extension <c>tessera.workload.v1.TesseraWorkload/WatchDenyList</c>):
    /// the whole list at once and again on every change, until the stream ends or fails.
    /// </summary>
    /// <exception cref="WorkloadApiException">
    /// The stream failed; <see cref="StatusCode.Unimplemented"/> (with a message saying so) when the agent is not a
    /// Tessera agent and does not serve the deny list.
    /// </exception>
    public async IAsyncEnumerable<DenyListUpdate> WatchDenyListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = WatchAsync(o => _tessera.WatchDenyList(new DenyListRequest(), o), DenyListReader.Read, cancellationToken);
        await using var reader = updates.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await reader.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (WorkloadApiException ex) when (ex.StatusCode == StatusCode.Unimplemented)
            {
                throw new WorkloadApiException(StatusCode.Unimplemented, DenyListReader.NotServed(SocketPath), ex);
            }

            yield return reader.Current;
        }
    }

    /// <summary>
    /// Returns a JWT-SVID for <paramref name="audience"/> (and <paramref name="extraAudiences"/>): the one of
    /// <paramref name="spiffeId"/>, or of the caller's default identity when null.
    /// </summary>
    /// <param name="audience">The audience the token is for.</param>
    /// <param name="extraAudiences">More audiences (optional).</param>
    /// <param name="spiffeId">Which of the caller's identities (default: the first).</param>
    /// <param name="binding">
    /// <see cref="JwtSvidBinding.X509Svid"/> asks for a token bound to the caller's current X509-SVID; such a token
    /// must be fetched again after that SVID rotates. Default: <see cref="JwtSvidBinding.None"/>.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="WorkloadApiException">The call failed, or the agent sent no token or a malformed one.</exception>
    public async Task<JwtSvid> FetchJwtSvidAsync(string audience, IEnumerable<string>? extraAudiences = null, SpiffeId? spiffeId = null, JwtSvidBinding binding = JwtSvidBinding.None, CancellationToken cancellationToken = default)
    {
        var svids = await FetchJwtSvidsAsync(audience, extraAudiences, spiffeId, binding, cancellationToken).ConfigureAwait(false);
        return svids[0];
    }

    /// <summary>
    /// Returns a JWT-SVID for <paramref name="audience"/> (and <paramref name="extraAudiences"/>) for every identity
    /// of the caller, or only for <paramref name="spiffeId"/>; the first is the default identity's.
    /// </summary>
    /// <param name="audience">The audience the tokens are for.</param>
    /// <param name="extraAudiences">More audiences (optional).</param>
    /// <param name="spiffeId">Only this identity's token (default: every identity).</param>
    /// <param name="binding">Whether each token is bound to the X509-SVID of its identity; see <see cref="JwtSvidBinding"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="WorkloadApiException">The call failed, or the agent sent no token or a malformed one.</exception>
    public async Task<IReadOnlyList<JwtSvid>> FetchJwtSvidsAsync(string audience, IEnumerable<string>? extraAudiences = null, SpiffeId? spiffeId = null, JwtSvidBinding binding = JwtSvidBinding.None, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(audience);
        if (!Enum.IsDefined(binding))
        {
            throw new ArgumentOutOfRangeException(nameof(binding), binding, "unknown JWT-SVID binding");
        }

        var request = new JWTSVIDRequest { Audience = { audience } };
        if (extraAudiences is not null)
        {
            request.Audience.Add(extraAudiences);
        }

        if (spiffeId is { } id)
        {
            request.SpiffeId = id.ToString();
        }

        var response = await UnaryAsync(
            o =>
            {
                if (binding == JwtSvidBinding.X509Svid)
                {
                    o.Headers!.Add(JwtBindingMetadata.Header, JwtBindingMetadata.X5tS256);
                }

                return _client.FetchJWTSVIDAsync(request, o);
            },
            cancellationToken).ConfigureAwait(false);
        if (response.Svids.Count == 0)
        {
            throw new WorkloadApiException(StatusCode.Internal, "the Workload API sent a JWT-SVID response without any token");
        }

        // The agent is the trusted source of the caller's own tokens: their structure and audience are checked,
        // their signature is the agent's business (as in go-spiffe).
        return [.. response.Svids.Select(s => ParseTrusted(s.Svid, audience, "JWT-SVID response"))];
    }

    /// <summary>
    /// Asks the Workload API to validate <paramref name="token"/> for <paramref name="audience"/> and returns the
    /// SVID it accepted. A token the agent rejects raises a <see cref="WorkloadApiException"/> with
    /// <see cref="StatusCode.InvalidArgument"/> and the agent's reason.
    /// </summary>
    /// <exception cref="WorkloadApiException">The token was rejected or the call failed.</exception>
    public async Task<JwtSvid> ValidateJwtSvidAsync(string token, string audience, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(audience);
        var request = new ValidateJWTSVIDRequest { Svid = token, Audience = audience };
        await UnaryAsync(o => _client.ValidateJWTSVIDAsync(request, o), cancellationToken).ConfigureAwait(false);
        return ParseTrusted(token, audience, "token validated by the Workload API");
    }

    /// <summary>Closes the connection to the agent; calls in flight fail.</summary>
    public void Dispose() => _channel.Dispose();

    /// <summary>Closes the connection to the agent; calls in flight fail.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static JwtSvid ParseTrusted(string token, string audience, string what)
    {
        var result = JwtSvid.ParseInsecure(token, audience);
        return result.IsValid
            ? result.Svid
            : throw new WorkloadApiException(StatusCode.Internal, $"malformed {what}: {result.Error}: {result.Message}");
    }

    private static CallOptions Options(DateTime? deadline, CancellationToken cancellationToken) =>
        new(new Metadata { { SecurityHeader, "true" } }, deadline, cancellationToken);

    private async Task<TResponse> UnaryAsync<TResponse>(Func<CallOptions, AsyncUnaryCall<TResponse>> call, CancellationToken cancellationToken)
    {
        try
        {
            using var pending = call(Options(DateTime.UtcNow + _callTimeout, cancellationToken));
            return await pending.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            throw Translate(ex, cancellationToken);
        }
    }

    private async Task<TResult> FirstAsync<TResponse, TResult>(
        Func<CallOptions, AsyncServerStreamingCall<TResponse>> open, Func<TResponse, TResult> read, CancellationToken cancellationToken)
    {
        try
        {
            using var call = open(Options(DateTime.UtcNow + _callTimeout, cancellationToken));
            if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                throw new WorkloadApiException(StatusCode.Unavailable, "the Workload API ended the stream without sending anything");
            }

            return read(call.ResponseStream.Current);
        }
        catch (RpcException ex)
        {
            throw Translate(ex, cancellationToken);
        }
    }

    private async IAsyncEnumerable<TResult> WatchAsync<TResponse, TResult>(
        Func<CallOptions, AsyncServerStreamingCall<TResponse>> open, Func<TResponse, TResult> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = open(Options(deadline: null, cancellationToken));
        while (true)
        {
            bool more;
            try
            {
                more = await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException ex)
            {
                throw Translate(ex, cancellationToken);
            }

            if (!more)
            {
                yield break;
            }

            yield return read(call.ResponseStream.Current);
        }
    }

    private Exception Translate(RpcException exception, CancellationToken cancellationToken)
    {
        if (exception.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            return new OperationCanceledException("the Workload API call was cancelled", exception, cancellationToken);
        }

        return exception.StatusCode switch
        {
            StatusCode.Unavailable => new WorkloadApiException(StatusCode.Unavailable, $"cannot reach the Workload API at {SocketPath}: {exception.Status.Detail}", exception),
            StatusCode.DeadlineExceeded => new WorkloadApiException(StatusCode.DeadlineExceeded, $"no answer from the Workload API at {SocketPath} within {_callTimeout.TotalSeconds:0.#}s", exception),
            _ => WorkloadApiException.FromRpc(exception),
        };
    }
}
