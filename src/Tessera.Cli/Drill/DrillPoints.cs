using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Cli.Drill;

/// <summary>
/// Starts and owns the enforcement points the drill measures: the Workload API stream, the agent's JWT validation,
/// an in-process Kestrel application built with the SDK and the agent's deny list (mTLS and JWT), a
/// <c>tessera proxy inbound</c> child in front of an echo service, and the server's CRL; and notes the ones it
/// skipped and why.
/// </summary>
internal sealed class DrillPoints : IAsyncDisposable
{
    private readonly List<IEnforcementPoint> _points = [];
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<string> _notes = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public IReadOnlyList<IEnforcementPoint> All => _points;

    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Gets the audience of the canary's JWT-SVIDs (unique per run).</summary>
    public string Audience { get; private set; } = string.Empty;

    public async Task StartAsync(DrillSettings settings, Canary canary, WorkloadApiClient client, CanaryWatch watch, string runId, CancellationToken cancellationToken)
    {
        Audience = $"tessera-drill-{runId}";
        _points.Add(new WorkloadApiPoint(watch));
        _points.Add(new AgentJwtPoint(client, Audience));

        // The SDK's own sources, as an application would create them from the same Workload API socket.
        var sourceOptions = new WorkloadApiSourceOptions { Address = "unix://" + settings.WorkloadSocket, InitialTimeout = settings.SetupTimeout, CallTimeout = settings.WorkloadTimeout };
        var denyList = await Setup("the deny list (DenyListSource)", () => DenyListSource.CreateAsync(sourceOptions, cancellationToken)).ConfigureAwait(false);
        _owned.Add(denyList);
        var jwtBundles = await Setup("the JWT bundles (BundleSource)", () => BundleSource.CreateAsync(sourceOptions, cancellationToken)).ConfigureAwait(false);
        _owned.Add(jwtBundles);
        var serverSvid = watch.CopySvid(canary.ServerId) ?? throw new DrillFailure($"the Workload API no longer serves {canary.ServerId}");
        var sdk = await SdkHost.StartAsync(serverSvid, Bundles(watch)(), jwtBundles, canary.ClientId, Audience, denyList, cancellationToken).ConfigureAwait(false);
        _owned.Add(sdk);
        _points.Add(new SdkJwtPoint(sdk.JwtEndpoint, _http));
        _points.Add(new MtlsEchoPoint("SDK Kestrel UseSpiffeMtls", established: false, sdk.MtlsEndPoint, canary.ServerId, Bundles(watch)));
        _points.Add(new MtlsEchoPoint("SDK Kestrel UseSpiffeMtls", established: true, sdk.MtlsEndPoint, canary.ServerId, Bundles(watch)));

        var echo = new EchoServer();
        _owned.Add(echo);
        var proxy = await ProxyChild.StartAsync(settings.WorkloadSocket, echo.EndPoint, canary.ServerId, canary.ClientId, settings.SetupTimeout, cancellationToken).ConfigureAwait(false);
        _owned.Add(proxy);
        _points.Add(new MtlsEchoPoint("tessera proxy", established: false, proxy.EndPoint, canary.ServerId, Bundles(watch)));
        _points.Add(new MtlsEchoPoint("tessera proxy", established: true, proxy.EndPoint, canary.ServerId, Bundles(watch)));

        if (Crl(settings) is { } crl)
        {
            _points.Add(new CrlPoint(crl, _http, () => watch.Bundles is { } set && set.TryGetX509Bundle(canary.ClientId.TrustDomain, out var bundle) ? bundle.Authorities : []));
        }

        if (settings.Kinds.Any(k => k.Credential == CredentialKind.Entry))
        {
            _notes.Add("entry-delete does not revoke certificates or tokens already issued (they stay valid until expiry): only the Workload API is measured for it");
        }
    }

    /// <summary>Asks the proxy child to stop now, so it is on its way out even if this process is cut short.</summary>
    public void BeginStop()
    {
        foreach (var proxy in _owned.OfType<ProxyChild>())
        {
            proxy.BeginStop();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var point in _points)
        {
            await point.DisposeAsync().ConfigureAwait(false);
        }

        // Reverse order: the proxy stops before the echo service behind it.
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync().ConfigureAwait(false);
        }

        _points.Clear();
        _owned.Clear();
        _http.Dispose();
    }

    private string? Crl(DrillSettings settings)
    {
        if (settings.NoCrl)
        {
            _notes.Add("server CRL: not checked (--no-crl)");
            return null;
        }

        if (settings.CrlSource is { } given)
        {
            return given;
        }

        // The server writes <data_dir>/crl.pem beside its admin socket; use it when the drill runs on the server's host.
        var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(settings.AdminSocket))!, "crl.pem");
        if (File.Exists(beside))
        {
            return beside;
        }

        _notes.Add($"server CRL: not checked (no {beside}; give --server-crl http://HEALTH_ADDRESS/crl)");
        return null;
    }

    private static async Task<T> Setup<T>(string what, Func<Task<T>> create)
    {
        try
        {
            return await create().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WorkloadApiException or TimeoutException)
        {
            throw new DrillFailure($"cannot get {what} from the Workload API: {ex.Message}", Internal.ExitCodes.Unavailable);
        }
    }

    private static Func<Tessera.Spiffe.Bundles.IX509BundleSource> Bundles(CanaryWatch watch) =>
        () => watch.Bundles ?? throw new DrillFailure("the Workload API sent no bundles");
}
