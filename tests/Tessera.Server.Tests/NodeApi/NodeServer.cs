using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Node.V1;
using Tessera.Contracts.Transport;
using Tessera.Server.Ca;
using Tessera.Server.Configuration;
using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Sqlite;
using Tessera.Server.Hosting;
using Tessera.Server.Tests.Audit;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;
using IAuditStore = Tessera.Server.Audit.IAuditStore;

namespace Tessera.Server.Tests.NodeApi;

/// <summary>
/// A real server for node API tests: SQLite datastore, real CA, the admin API on a Unix socket and the node API
/// on 127.0.0.1:0 over real TLS. Clients are real gRPC channels that verify the server's SVID.
/// </summary>
internal sealed class NodeServer : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();
    private readonly List<IDisposable> _disposables = [];
    private WebApplication _app = null!;

    private NodeServer()
    {
    }

    public InMemoryAuditStore Audit { get; } = new();

    public IDataStore Store { get; private set; } = null!;

    public CertificateAuthority Ca { get; private set; } = null!;

    public ServerOptions Options { get; private set; } = null!;

    public Uri AgentUri { get; private set; } = null!;

    public Admin.AdminClient AdminClient { get; private set; } = null!;

    public TrustDomain TrustDomain => Options.TrustDomain;

    /// <summary>Gets the running host (its services, for tests that inspect server state).</summary>
    public WebApplication App => _app;

    /// <summary>Gets the serial of every server certificate a client saw in a handshake, in order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> ServerSerialsSeen { get; } = new();

    public static DateTime Deadline => DateTime.UtcNow + Timeout;

    public static async Task<NodeServer> StartAsync(Action<IServiceCollection>? configure = null, Func<ServerOptions, ServerOptions>? options = null)
    {
        var server = new NodeServer();
        await server.InitAsync(configure, options);
        return server;
    }

    public Node.NodeClient NodeClient(X509Certificate2? clientCertificate = null) => new(NodeChannel(clientCertificate));

    /// <summary>A TLS channel to the agent port that checks the server SVID and presents <paramref name="clientCertificate"/>.</summary>
    public GrpcChannel NodeChannel(X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                // The agent's check of the server: the SVID verifies against the bundle and names the server.
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    using var copy = X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData());
                    ServerSerialsSeen.Enqueue(copy.SerialNumber);
                    var result = X509SvidVerifier.Verify([copy], Ca.Bundle, TimeProvider.System);
                    return result.IsValid && result.Id == SpiffeId.Parse($"spiffe://{TrustDomain}/tessera/server");
                },
                LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCertificate!,
                ClientCertificates = clientCertificate is null ? null : new X509CertificateCollection { clientCertificate },
            },
        };
        var channel = GrpcChannel.ForAddress(AgentUri, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _disposables.Add(channel);
        return channel;
    }

    public Node.NodeClient NodeClient(AgentIdentity agent) => NodeClient(agent.Certificate);

    public async Task<string> GenerateTokenAsync(string? spiffeId = null) =>
        (await AdminClient.GenerateJoinTokenAsync(new GenerateJoinTokenRequest { SpiffeId = spiffeId ?? string.Empty }, deadline: Deadline)).Token;

    /// <summary>Attests with a fresh join token (or the given one) and returns the agent's identity.</summary>
    public async Task<AgentIdentity> AttestAsync(string? token = null)
    {
        token ??= await GenerateTokenAsync();
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var result = await AttestAsync("join_token", System.Text.Encoding.UTF8.GetBytes(token), Csr(key));
        return AgentIdentity.From(result, key);
    }

    /// <summary>One Attest stream with no challenge expected; throws the server's RpcException on refusal.</summary>
    public async Task<AttestResult> AttestAsync(string type, byte[] payload, byte[] csr)
    {
        using var call = NodeClient().Attest(deadline: Deadline);
        await call.RequestStream.WriteAsync(new AttestRequest { Params = new AttestParams { Type = type, Payload = ByteString.CopyFrom(payload), Csr = ByteString.CopyFrom(csr) } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        return call.ResponseStream.Current.Result;
    }

    public async Task<Entry> CreateEntryAsync(string path, string parentId, params string[] dnsNames)
    {
        var entry = new Entry { SpiffeId = $"spiffe://{TrustDomain}{path}", ParentId = parentId, Owner = "team-test" };
        entry.Selectors.Add(new Tessera.Contracts.Admin.V1.Selector { Type = "unix", Value = "uid:1001" });
        entry.DnsNames.AddRange(dnsNames);
        var request = new CreateEntriesRequest();
        request.Entries.Add(entry);
        return (await AdminClient.CreateEntriesAsync(request, deadline: Deadline)).Entries[0];
    }

    public static byte[] Csr(ECDsa key, Action<CertificateRequest>? tamper = null)
    {
        var request = new CertificateRequest("CN=agent", key, HashAlgorithmName.SHA256);
        tamper?.Invoke(request);
        return request.CreateSigningRequest();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            disposable.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        Ca.Dispose();
        await Store.DisposeAsync();
        _dir.Dispose();
    }

    private async Task InitAsync(Action<IServiceCollection>? configure, Func<ServerOptions, ServerOptions>? adjust)
    {
        Options = new ServerOptions
        {
            TrustDomain = TrustDomain.Parse("example.org"),
            DataDir = Path.Combine(_dir.Path, "data"),
            AdminSocket = Path.Combine(_dir.Path, "data", "admin.sock"),
            AdminUids = [(int)Tessera.Server.Internal.Libc.GetUid()],
            HealthAddress = "127.0.0.1:0",
            AgentAddress = "127.0.0.1:0",
            Datastore = "sqlite",
            KeyManager = "memory",
            CaTtl = TimeSpan.FromHours(24),
            X509SvidTtl = TimeSpan.FromHours(1),
            JwtSvidTtl = TimeSpan.FromMinutes(5),
        };
        Options = adjust?.Invoke(Options) ?? Options;
        Store = await SqliteDataStore.OpenAsync(Path.Combine(_dir.Path, "store.sqlite3"), TimeProvider.System, CancellationToken.None);
        Audit.DataStore = Store;
        Ca = await ServerComposition.OpenCertificateAuthorityAsync(Options, Store, TimeProvider.System, NullLogger.Instance, CancellationToken.None);
        _app = ServerHost.Build(Options, services =>
        {
            ServerComposition.Configure(Store, Ca)(services);
            services.AddSingleton<IAuditStore>(Audit);
            configure?.Invoke(services);
        });
        using var cts = new CancellationTokenSource(Timeout);
        await _app.StartAsync(cts.Token);
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        // The bundle endpoint (when a test turns it on) is the other HTTPS listener; it has a fixed port.
        var bundlePort = Options.Federation.BundleEndpointAddress?.Split(':')[^1];
        AgentUri = new Uri(addresses.Single(a => a.StartsWith("https://", StringComparison.Ordinal) && (bundlePort is null || !a.EndsWith(":" + bundlePort, StringComparison.Ordinal))));
        var adminChannel = UnixSocketChannel.Create(Options.AdminSocket);
        _disposables.Add(adminChannel);
        AdminClient = new Admin.AdminClient(adminChannel);
    }
}
