using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts.Transport;
using Tessera.Contracts.Admin.V1;
using IAuditStore = Tessera.Server.Audit.IAuditStore;
using Tessera.Server.Configuration;
using Tessera.Server.Datastore;
using Tessera.Server.Datastore.Sqlite;
using Tessera.Server.Hosting;
using Tessera.Server.Tests.Audit;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Hosting;

public sealed class ServerHostTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private readonly TempDirectory _dir = new();
    private readonly InMemoryAuditStore _store = new();
    private WebApplication? _app;

    public async Task InitializeAsync() => _app = await StartAsync([(int)Tessera.Server.Internal.Libc.GetUid()]);

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        _ca?.Dispose();
        if (_dataStore is not null)
        {
            await _dataStore.DisposeAsync();
        }
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GetServerInfo_AllowedUid_ReturnsTrustDomainAndAuditsTheCall()
    {
        using var channel = UnixSocketChannel.Create(Options().AdminSocket);
        var client = new Admin.AdminClient(channel);

        var info = await client.GetServerInfoAsync(new GetServerInfoRequest(), deadline: DateTime.UtcNow + Timeout);

        Assert.Equal("example.org", info.TrustDomain);
        Assert.Equal((long)Tessera.Server.Internal.Libc.GetUid(), info.CallerUid);
        var record = Assert.Single(_store.Records);
        Assert.Equal("server.info", record.Event.Action);
        Assert.StartsWith($"uid:{info.CallerUid} pid:{Environment.ProcessId}", record.Event.Caller, StringComparison.Ordinal);
    }

    [Fact]
    public void AdminSocket_AfterStart_IsOwnerOnly()
    {
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Options().AdminSocket));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Options().DataDir));
    }

    [Fact]
    public async Task VerifyAuditChain_AfterCalls_Intact()
    {
        using var channel = UnixSocketChannel.Create(Options().AdminSocket);
        var client = new Admin.AdminClient(channel);
        await client.GetServerInfoAsync(new GetServerInfoRequest(), deadline: DateTime.UtcNow + Timeout);
        await client.GetServerInfoAsync(new GetServerInfoRequest(), deadline: DateTime.UtcNow + Timeout);

        var result = await client.VerifyAuditChainAsync(new VerifyAuditChainRequest(), deadline: DateTime.UtcNow + Timeout);
        var list = await client.ListAuditRecordsAsync(new ListAuditRecordsRequest { Action = "server.info" }, deadline: DateTime.UtcNow + Timeout);

        Assert.True(result.Intact, result.Problem);
        Assert.Equal(2, result.RecordsChecked);
        Assert.Equal(2, list.Records.Count);
        Assert.Equal(list.Records[0].Hash, list.Records[1].PreviousHash);
    }

    [Fact]
    public async Task Health_Endpoints_ServeLiveReadyAndMetrics()
    {
        using var http = new HttpClient { Timeout = Timeout };
        var baseAddress = HealthAddress();

        Assert.Equal("live\n", await http.GetStringAsync(new Uri(baseAddress, "/healthz/live")));
        Assert.Equal("ready\n", await http.GetStringAsync(new Uri(baseAddress, "/healthz/ready")));
        var metrics = await http.GetStringAsync(new Uri(baseAddress, "/metrics"));
        Assert.Contains("tessera_up 1\n", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE tessera_audit_events_total counter", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminApi_OverTheHealthPort_IsNotServed()
    {
        // HTTP/2 gRPC cannot be spoken on the HTTP/1-only health port; the admin API lives on the socket only.
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(HealthAddress());
        var client = new Admin.AdminClient(channel);

        await Assert.ThrowsAsync<RpcException>(async () => await client.GetServerInfoAsync(new GetServerInfoRequest(), deadline: DateTime.UtcNow + Timeout));
        Assert.DoesNotContain(_store.Records, r => r.Event.Action == "server.info");
    }

    [Fact]
    public async Task AdminSocket_UidNotAllowed_ConnectionRefusedAndAudited()
    {
        await _app!.StopAsync();
        await _app.DisposeAsync();
        _app = await StartAsync([54321]);
        File.SetUnixFileMode(Options().AdminSocket, (UnixFileMode)0b110_110_110);
        using var channel = UnixSocketChannel.Create(Options().AdminSocket);
        var client = new Admin.AdminClient(channel);

        var ex = await Assert.ThrowsAsync<RpcException>(async () => await client.GetServerInfoAsync(new GetServerInfoRequest(), deadline: DateTime.UtcNow + Timeout));

        Assert.Equal(StatusCode.Unavailable, ex.StatusCode);
        var denied = Assert.Single(_store.Records, r => r.Event.Action == "admin.connect");
        Assert.Equal("denied", denied.Event.Outcome);
        Assert.Equal($"uid {Tessera.Server.Internal.Libc.GetUid()} is not in admin_uids", denied.Event.Reason);
    }

    private ServerOptions Options() => new()
    {
        TrustDomain = TrustDomain.Parse("example.org"),
        DataDir = Path.Combine(_dir.Path, "data"),
        AdminSocket = Path.Combine(_dir.Path, "data", "admin.sock"),
        AdminUids = _uids,
        HealthAddress = "127.0.0.1:0",
        Datastore = "sqlite",
        KeyManager = "memory",
        CaTtl = TimeSpan.FromHours(24),
        X509SvidTtl = TimeSpan.FromHours(1),
        JwtSvidTtl = TimeSpan.FromMinutes(5),
    };

    private IReadOnlyList<int> _uids = [];
    private IDataStore? _dataStore;
    private Tessera.Server.Ca.CertificateAuthority? _ca;

    private async Task<WebApplication> StartAsync(IReadOnlyList<int> uids)
    {
        _uids = uids;
        _dataStore ??= await SqliteDataStore.OpenAsync(Path.Combine(_dir.Path, "store.sqlite3"), TimeProvider.System, CancellationToken.None);
        _store.DataStore = _dataStore;
        _ca ??= await ServerComposition.OpenCertificateAuthorityAsync(Options(), _dataStore, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);
        var app = ServerHost.Build(Options(), services =>
        {
            ServerComposition.Configure(_dataStore, _ca)(services);
            // The audit records go to a store the tests can inspect directly.
            services.AddSingleton<IAuditStore>(_store);
        });
        using var cts = new CancellationTokenSource(Timeout);
        await app.StartAsync(cts.Token);
        return app;
    }

    private Uri HealthAddress()
    {
        var addresses = _app!.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal)));
    }
}
