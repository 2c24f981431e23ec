using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Channels;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Agent.Tests.Fakes;

/// <summary>
/// Hosts <see cref="FakeNodeService"/> in Kestrel on 127.0.0.1:0 with real TLS: a server SVID issued by a fresh CA
/// (<see cref="X509SvidIssuer"/>), client certificates requested and checked per call against that CA at the
/// test clock's time. State is public so tests can arrange and observe.
/// </summary>
internal sealed class FakeNodeServer : IAsyncDisposable
{
    private readonly Lock _gate = new();
    private readonly List<(SpiffeId Agent, Channel<SyncResponse> Channel)> _subscribers = [];
    private WebApplication? _app;
    private X509Certificate2? _serverCertificate;
    private volatile bool _down;

    public int AttestCalls;
    public int RenewCalls;
    public int JwtCalls;
    public byte[]? LastJwtBinding;
    public int X509PopVerified;
    public int SyncStreamsOpened;

    private FakeNodeServer(TimeProvider clock, ECDsa caKey)
    {
        Clock = clock;
        var now = clock.GetUtcNow();
        CaKey = caKey;
        Ca = X509SvidIssuer.CreateAuthority(TrustDomain, caKey, now.AddDays(-1), now.AddYears(1));
        BundleJson = new SpiffeBundle(TrustDomain, new X509Bundle(TrustDomain, [Ca])).ToJson();
    }

    public TrustDomain TrustDomain { get; } = TrustDomain.Parse("example.org");

    public TimeProvider Clock { get; }

    public X509Certificate2 Ca { get; }

    /// <summary>When set, workload SVIDs are signed by this CA (with its private key) instead of <see cref="Ca"/>: the CA after an emergency rotation.</summary>
    public X509Certificate2? WorkloadCa { get; set; }

    /// <summary>The kid in the header of minted JWT-SVIDs.</summary>
    public string JwtKid { get; set; } = "k1";

    public ECDsa CaKey { get; }

    public string CaPem => Ca.ExportCertificatePem() + "\n";

    public string BundleJson { get; set; }

    public int Port { get; private set; }

    /// <summary>The CA node certificates must be issued by for x509pop (null: x509pop refused).</summary>
    public X509Certificate2? NodeCa { get; set; }

    public TimeSpan AgentSvidTtl { get; set; } = TimeSpan.FromHours(1);

    public ConcurrentDictionary<string, byte> JoinTokens { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, byte> Evicted { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, NodeEntry> Entries { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, byte> RefusedEntries { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<int> BatchSizes { get; } = new();

    /// <summary>SignX509Svids calls being served at once, and the most there ever were.</summary>
    public ConcurrencyGauge SignCalls { get; } = new();

    /// <summary>While set and not completed, SignX509Svids calls wait for it before signing.</summary>
    public TaskCompletionSource? HoldSigning { get; set; }

    public ConcurrentQueue<AgentEvent[]> EventBatches { get; } = new();

    public List<NodeBundle> Bundles { get; } = [];

    /// <summary>Starts a server whose certificate carries <paramref name="serverId"/> (default spiffe://example.org/tessera/server).</summary>
    public static async Task<FakeNodeServer> StartAsync(TimeProvider? clock = null, string serverId = "spiffe://example.org/tessera/server")
    {
        var server = new FakeNodeServer(clock ?? TimeProvider.System, ECDsa.Create(ECCurve.NamedCurves.nistP256));
        server.Bundles.Add(new NodeBundle { TrustDomain = server.TrustDomain.Name, Json = server.BundleJson });
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var now = DateTimeOffset.UtcNow;
        using var issued = X509SvidIssuer.IssueLeaf(server.Ca, SpiffeId.Parse(serverId), new PublicKey(serverKey), now.AddHours(-1), now.AddDays(30));
        server._serverCertificate = issued.CopyWithPrivateKey(serverKey);
        // Below the ephemeral range, so nothing else is handed this port while RestartAsync is pending.
        await server.ListenAsync(FreePorts.Next());
        return server;
    }

    /// <summary>Stops the listener for real (connections refused), keeping all state, until <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        var app = _app!;
        _app = null;
        CloseStreams(_ => true, new RpcException(new Status(StatusCode.Unavailable, "server stopping")));
        await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await app.DisposeAsync();
    }

    /// <summary>Listens again on the same port.</summary>
    public Task RestartAsync() => ListenAsync(Port);

    public string NewJoinToken()
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        JoinTokens[token] = 0;
        return token;
    }

    /// <summary>When true every call fails with Unavailable and open Sync streams are cut.</summary>
    public bool Down
    {
        get => _down;
        set
        {
            _down = value;
            if (value)
            {
                CloseStreams(_ => true, new RpcException(new Status(StatusCode.Unavailable, "server going down")));
            }
        }
    }

    public void ThrowIfDown()
    {
        if (_down)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "server is down"));
        }
    }

    public void PutEntry(NodeEntry entry)
    {
        Entries[entry.Id] = entry;
        Push(new SyncResponse { Entries = { entry } });
    }

    public void DeleteEntry(string id, bool push = true)
    {
        Entries.TryRemove(id, out _);
        if (push)
        {
            Push(new SyncResponse { DeletedEntryIds = { id } });
        }
    }

    /// <summary>Pushes a tainted-CA set (emergency rotation) on every open Sync stream.</summary>
    public void PushTainted(NodeTaintedAuthorities tainted) => Push(new SyncResponse { Tainted = tainted });

    public void PushBundles(params NodeBundle[] bundles)
    {
        lock (_gate)
        {
            Bundles.Clear();
            Bundles.AddRange(bundles);
        }

        Push(new SyncResponse { Bundles = { bundles } });
    }

    /// <summary>Evicts the agent: its calls are refused and its streams cut, until it attests again.</summary>
    public void Evict(string agentId)
    {
        Evicted[agentId] = 0;
        CloseStreams(a => a.ToString() == agentId, new RpcException(new Status(StatusCode.PermissionDenied, "agent evicted")));
    }

    /// <summary>Cuts every open Sync stream (the agent must reconnect and resync).</summary>
    public void DropStreams() => CloseStreams(_ => true, new RpcException(new Status(StatusCode.Unavailable, "stream reset")));

    public ByteString Sign(SpiffeId id, byte[] csr, TimeSpan ttl, bool agentSvid = false)
    {
        var request = CertificateRequest.LoadSigningRequest(csr, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.SkipSignatureValidation);
        var now = Clock.GetUtcNow();
        using var leaf = X509SvidIssuer.IssueLeaf(agentSvid ? Ca : WorkloadCa ?? Ca, id, request.PublicKey, now, now + ttl);
        return ByteString.CopyFrom(leaf.RawData);
    }

    public SpiffeId Authorize(ServerCallContext context)
    {
        ThrowIfDown();
        var certificate = context.GetHttpContext().Connection.ClientCertificate;
        if (certificate is null)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "no client certificate"));
        }

        var result = X509SvidVerifier.Verify([certificate], new X509Bundle(TrustDomain, [Ca]), Clock);
        if (!result.IsValid)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"agent SVID refused: {result.Message}"));
        }

        if (Evicted.ContainsKey(result.Id.ToString()))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "agent evicted"));
        }

        return result.Id;
    }

    public (SyncResponse First, Channel<SyncResponse> Subscription) Subscribe(SpiffeId agent)
    {
        var channel = Channel.CreateUnbounded<SyncResponse>();
        lock (_gate)
        {
            _subscribers.Add((agent, channel));
            Interlocked.Increment(ref SyncStreamsOpened);
            var first = new SyncResponse { Full = true, Entries = { Entries.Values }, Bundles = { Bundles } };
            return (first, channel);
        }
    }

    public void Unsubscribe(Channel<SyncResponse> channel)
    {
        lock (_gate)
        {
            _subscribers.RemoveAll(s => s.Channel == channel);
        }
    }

    private async Task ListenAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(this);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            listen.UseHttps(https =>
            {
                https.ServerCertificate = _serverCertificate;
                https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;

                // Checked per call in Authorize, at the test clock's time (the TLS layer would use the wall clock).
                https.ClientCertificateValidation = (_, _, _) => true;
            });
        }));
        var app = builder.Build();
        app.MapGrpcService<FakeNodeService>();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _app = app;
        Port = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Down = true;
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(10));
            await _app.DisposeAsync();
        }

        Ca.Dispose();
        CaKey.Dispose();
    }

    private void Push(SyncResponse message)
    {
        lock (_gate)
        {
            foreach (var (_, channel) in _subscribers)
            {
                channel.Writer.TryWrite(message);
            }
        }
    }

    private void CloseStreams(Func<SpiffeId, bool> which, Exception error)
    {
        lock (_gate)
        {
            foreach (var (agent, channel) in _subscribers.Where(s => which(s.Agent)).ToList())
            {
                channel.Writer.TryComplete(error);
                _subscribers.RemoveAll(s => s.Channel == channel);
            }
        }
    }
}
