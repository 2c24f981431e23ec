using System.Collections.Immutable;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Cache;
using Tessera.Agent.Svids;
using Tessera.Agent.Reporting;
using Tessera.Agent.WorkloadApi;
using Tessera.Agent.WorkloadAttestation.Unix;
using Tessera.Contracts.Workload;
using Tessera.Contracts.Workload.V1;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.Tests.WorkloadApi;

/// <summary>
/// The real Workload API on a real Unix socket in a temp directory, wired with the three endpoint methods the agent
/// host uses, over an <see cref="IdentityCache"/> the test fills from a test CA. Only the JWT minter and the event
/// sink are fakes. Entries carry this test process's own uid so the real attestor matches it.
/// </summary>
internal sealed class WorkloadApiHost : IAsyncDisposable
{
    public static readonly TrustDomain Domain = TrustDomain.Parse("example.org");
    public static readonly TrustDomain Federated = TrustDomain.Parse("partner.test");
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _dir;
    private readonly WebApplication _app;
    private readonly List<GrpcChannel> _channels = [];
    private int _disposed;

    private WorkloadApiHost(WebApplication app, string socketPath, TempDirectory dir)
    {
        _app = app;
        _dir = dir;
        SocketPath = socketPath;
    }

    public static int OwnUid { get; } = ProcStatus.Parse(File.ReadAllText("/proc/self/status"))!.RealUid;

    public static string OwnUidSelector => $"unix:uid:{OwnUid}";

    public string SocketPath { get; }

    public IdentityCache Cache { get; } = new(Domain);

    public TestCa Ca { get; } = TestCa.CreateRoot(Domain.Name);

    public TestCa FederatedCa { get; } = TestCa.CreateRoot(Federated.Name);

    public FakeJwtSvidMinter Minter { get; } = new();

    public RecordingEventSink Events { get; } = new();

    /// <summary>
    /// Starts a host; <paramref name="socketPath"/> (default: in a fresh temp directory) lets a test restart an agent
    /// on the same socket. Without <paramref name="tesseraExtensions"/> only the SPIFFE Workload API is served, as a
    /// SPIFFE agent that is not Tessera serves it.
    /// </summary>
    public static async Task<WorkloadApiHost> StartAsync(Action<IServiceCollection>? configure = null, string? socketPath = null, bool tesseraExtensions = true)
    {
        var dir = new TempDirectory();
        socketPath ??= Path.Combine(dir.Path, "agent", "public", "api.sock");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var host = default(WorkloadApiHost);
        builder.Services.AddSingleton(_ => host!.Cache);
        builder.Services.AddSingleton<IJwtSvidMinter>(_ => host!.Minter);
        builder.Services.AddSingleton<IWorkloadEventSink>(_ => host!.Events);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddWorkloadApi();
        configure?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenWorkloadApi(socketPath));
        var app = builder.Build();
        if (tesseraExtensions)
        {
            app.MapWorkloadApi(socketPath);
        }
        else
        {
            app.MapGrpcService<WorkloadApiService>();
        }

        host = new WorkloadApiHost(app, socketPath, dir);
        await app.StartAsync().WaitAsync(Timeout);
        return host;
    }

    /// <summary>A client on its own channel; several HTTP/2 connections may be opened so hundreds of streams need not queue.</summary>
    public SpiffeWorkloadAPI.SpiffeWorkloadAPIClient Client() => new(Channel());

    /// <summary>A client of Tessera's Workload API extensions (the deny-list stream) on its own channel.</summary>
    public TesseraWorkload.TesseraWorkloadClient TesseraClient() => new(Channel());

    private GrpcChannel Channel()
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        lock (_channels)
        {
            _channels.Add(channel);
        }

        return channel;
    }

    public static Metadata Header => new() { { "workload.spiffe.io", "true" } };

    public static CallOptions Options(CancellationToken cancellationToken = default) =>
        new(headers: Header, deadline: DateTime.UtcNow + Timeout, cancellationToken: cancellationToken);

    public static AgentEntry Entry(string id, string path, params string[] selectors) => new()
    {
        Id = id,
        SpiffeId = SpiffeId.Parse($"spiffe://{Domain.Name}{path}"),
        ParentId = SpiffeId.Parse($"spiffe://{Domain.Name}/agent"),
        Selectors = selectors.Length == 0 ? [OwnUidSelector] : selectors,
        Hint = "hint-" + id,
        Revision = 1,
        // The fixture's cache holds partner.test's bundle, and its entries federate with it unless a test says otherwise.
        FederatesWith = [Federated],
    };

    /// <summary>Issues an SVID for <paramref name="entry"/> from the test CA, in the cache's form.</summary>
    public CachedSvid Issue(AgentEntry entry, TestCa? issuer = null)
    {
        using var svid = (issuer ?? Ca).IssueSvid(entry.SpiffeId.ToString()[$"spiffe://{Domain.Name}".Length..]);
        return new CachedSvid
        {
            EntryId = entry.Id,
            EntryRevision = entry.Revision,
            SpiffeId = entry.SpiffeId,
            ChainDer = svid.ChainDer,
            KeyPkcs8 = svid.KeyPkcs8,
            Serial = svid.Leaf.SerialNumber,
            NotBefore = svid.Leaf.NotBefore,
            NotAfter = svid.Leaf.NotAfter,
            AuthorityKeyId = TaintedAuthorities.AuthorityKeyIdOf(svid.Leaf),
        };
    }

    public SpiffeBundle OwnBundle => new(Domain, new X509Bundle(Domain, [Ca.Certificate]), new JwtBundle(Domain, [Minter.Authority]));

    public SpiffeBundle FederatedBundle => new(Federated, new X509Bundle(Federated, [FederatedCa.Certificate]));

    /// <summary>Publishes a synced cache with <paramref name="entries"/>, an SVID for each, and both bundles.</summary>
    public void Publish(params AgentEntry[] entries) => Cache.Update(s => s with
    {
        Synced = true,
        Entries = entries.ToImmutableDictionary(e => e.Id, StringComparer.Ordinal),
        Svids = entries.ToImmutableDictionary(e => e.Id, e => Issue(e), StringComparer.Ordinal),
        Bundles = ImmutableDictionary<TrustDomain, SpiffeBundle>.Empty.Add(Domain, OwnBundle).Add(Federated, FederatedBundle),
    });

    /// <summary>Stops the host; a second call does nothing (a test may stop the agent before the fixture does).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var channel in _channels)
        {
            channel.Dispose();
        }

        await _app.StopAsync().WaitAsync(Timeout);
        await _app.DisposeAsync();
        Ca.Dispose();
        FederatedCa.Dispose();
        Minter.Dispose();
        _dir.Dispose();
    }
}
