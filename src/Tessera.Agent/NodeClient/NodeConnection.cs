using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Internal;
using Tessera.Agent.NodeAttestation;
using Tessera.Contracts.Node.V1;

namespace Tessera.Agent.NodeClient;

/// <summary>
/// The agent's gRPC channel to the server's node API: HTTPS over <see cref="SocketsHttpHandler"/>, the client
/// certificate chosen per connection from <see cref="AgentIdentity.Svid"/> (renewal needs no new channel), the
/// server certificate verified as <c>spiffe://&lt;td&gt;/tessera/server</c> against the trust bundle. After a
/// re-attestation <see cref="Reset"/> starts a fresh channel, so no pooled connection keeps presenting the
/// refused SVID.
/// </summary>
internal sealed partial class NodeConnection : IDisposable
{
    private readonly Uri _address;
    private readonly AgentIdentity _identity;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private GrpcChannel _channel;
    private bool _disposed;
    private int _warnedInsecure;

    public NodeConnection(Uri address, AgentIdentity identity, ServerCertificateValidator validator, NodeClientSettings settings, ILogger<NodeConnection> logger)
    {
        _address = address;
        _identity = identity;
        Validator = validator;
        Settings = settings;
        _logger = logger;
        _channel = CreateChannel(validator.Callback, presented: null);
    }

    public ServerCertificateValidator Validator { get; }

    public NodeClientSettings Settings { get; }

    /// <summary>A client on the current channel; take a new one per call so a <see cref="Reset"/> takes effect.</summary>
    public Node.NodeClient Client
    {
        get
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                return new Node.NodeClient(_channel);
            }
        }
    }

    /// <summary>
    /// Replaces the channel (after renewal or re-attestation); calls already running finish on the old one. With
    /// <paramref name="presented"/>, every connection of the new channel presents that SVID, even one opened before
    /// the caller publishes it: a Sync stream that reconnects in between must not go out with the SVID being
    /// replaced (the server stops accepting that one once its CA is removed or it expires, and the refusal would be
    /// taken for an eviction of the new one).
    /// </summary>
    public void Reset(AgentSvid? presented = null)
    {
        GrpcChannel old;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            old = _channel;
            _channel = CreateChannel(Validator.Callback, presented);
        }

        // A Sync stream may still run on the old channel; it fails when the server drops it, and its loop reconnects
        // on the new channel. Disposing here would cut it off at once, which is also fine: the loop resyncs.
        old.Dispose();
    }

    /// <summary>
    /// A one-shot channel for the first attestation with <c>insecure_bootstrap</c>: it accepts whatever certificate
    /// the server presents (recording it in <paramref name="seen"/>) and presents none. Use it for Attest only,
    /// then check the accepted certificate against the bundle the server returned.
    /// </summary>
    public GrpcChannel CreateInsecureBootstrapChannel(List<X509Certificate2> seen)
    {
        if (Interlocked.Exchange(ref _warnedInsecure, 1) == 0)
        {
            Log.InsecureBootstrap(_logger, _address); // once: retries while the server is unreachable need not repeat it
        }

        // CA5359 is the point here: insecure_bootstrap is the operator's explicit choice to trust the first server
        // reached, once. The accepted certificate is checked afterwards against the bundle that server returns.
#pragma warning disable CA5359
        return CreateChannel((_, certificate, chain, _) =>
        {
            if (certificate is X509Certificate2 leaf)
            {
                // The leaf first, then whatever else the server sent (its intermediates, under an upstream authority).
                var leafDer = leaf.RawData;
                var presented = chain?.ChainPolicy.ExtraStore.Where(c => !c.RawDataMemory.Span.SequenceEqual(leafDer)) ?? [];
                lock (seen)
                {
                    seen.Clear();
                    seen.Add(X509CertificateLoader.LoadCertificate(leafDer));
                    seen.AddRange(presented.Select(c => X509CertificateLoader.LoadCertificate(c.RawData)));
                }
            }

            return true;
        }, presented: null);
#pragma warning restore CA5359
    }

    /// <summary>Call options with a deadline of <paramref name="timeout"/> from now (gRPC deadlines are wall-clock, not <see cref="TimeProvider"/>).</summary>
    public static CallOptions Deadline(TimeSpan timeout, CancellationToken cancellationToken) =>
        new(deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken);

    /// <summary>Says why a call failed in words an operator can act on, naming a refused server certificate when that was the cause.</summary>
    public string Describe(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (IsTlsFailure(exception.Status.DebugException ?? exception.InnerException))
        {
            return $"server certificate refused: {Validator.LastFailure ?? "the TLS handshake failed"}";
        }

        return $"{exception.StatusCode}: {LogSanitizer.Clean(exception.Status.Detail)}";
    }

    // Grpc.Net.Client reports a failed handshake as Unavailable (unary) or Internal (streaming), with the
    // AuthenticationException somewhere in the chain.
    private static bool IsTlsFailure(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _channel.Dispose();
        }
    }

    private GrpcChannel CreateChannel(RemoteCertificateValidationCallback validate, AgentSvid? presented)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = Settings.ConnectTimeout,
            PooledConnectionLifetime = Settings.PooledConnectionLifetime,
            KeepAlivePingDelay = Settings.KeepAlivePingDelay,
            KeepAlivePingTimeout = Settings.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            EnableMultipleHttp2Connections = true,
            SslOptions = new SslClientAuthenticationOptions
            {
                // Picked per handshake: a connection opened after renewal presents the new SVID. Null before
                // attestation (Attest is the one call the server takes without a client certificate).
                // Only the leaf is sent: the callback cannot carry intermediates, and doing TLS in a ConnectCallback
                // instead makes Kestrel refuse the requests (:scheme http over a TLS transport). The server knows
                // its own CA chain, so it can complete the agent SVID's path itself.
                LocalCertificateSelectionCallback = (_, _, _, _, _) => _identity.Svid is null ? null! : (presented ?? _identity.Svid).TlsCertificate,
                RemoteCertificateValidationCallback = validate,
            },
        };
        return GrpcChannel.ForAddress(_address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = 64 * 1024 * 1024, // a full Sync of tens of thousands of entries
        });
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "insecure_bootstrap: accepting the certificate of {Address} without verification for the first attestation; the bundle it returns is pinned afterwards")]
        public static partial void InsecureBootstrap(ILogger logger, Uri address);
    }
}
