using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Spiffe.AspNetCore.Authentication;
using Tessera.Spiffe.AspNetCore.Kestrel;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Drill;

/// <summary>
/// An in-process Kestrel application configured with the SDK the way an application would, both with the agent's
/// deny list: an mTLS listener (<c>UseSpiffeMtls</c> with the canary server SVID, allowing only the canary client)
/// whose connections echo, and a plain HTTP listener whose one endpoint requires a JWT-SVID (<c>AddSpiffeJwt</c>).
/// </summary>
internal sealed class SdkHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Svid _serverSvid;

    private SdkHost(WebApplication app, X509Svid serverSvid, IPEndPoint mtls, Uri jwt)
    {
        _app = app;
        _serverSvid = serverSvid;
        MtlsEndPoint = mtls;
        JwtEndpoint = jwt;
    }

    /// <summary>Gets the mTLS echo listener.</summary>
    public IPEndPoint MtlsEndPoint { get; }

    /// <summary>Gets the URL answering 200 to a valid JWT-SVID bearer token, 401 otherwise.</summary>
    public Uri JwtEndpoint { get; }

    public static async Task<SdkHost> StartAsync(X509Svid serverSvid, IX509BundleSource bundles, IJwtBundleSource jwtBundles, SpiffeId clientId, string audience, IDenyListSource denyList, CancellationToken cancellationToken)
    {
        var mtls = new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Free());
        var http = new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Free());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(mtls, listen =>
            {
                listen.UseSpiffeMtls(new FixedSvidSource(serverSvid), bundles, PeerAuthorizer.Id(clientId), new SpiffeTlsOptions { DenyList = denyList });
                listen.Run(EchoAsync);
            });
            kestrel.Listen(http);
        });
        builder.Services.AddAuthentication(SpiffeJwtDefaults.AuthenticationScheme).AddSpiffeJwt(o =>
        {
            o.Audience = audience;
            o.Bundles = jwtBundles;
            o.DenyList = denyList;
            o.Leeway = TimeSpan.Zero;
        });
        builder.Services.AddAuthorization();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/", () => "ok").RequireAuthorization();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new SdkHost(app, serverSvid, mtls, new Uri($"http://{http}/"));
    }

    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(limit.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _serverSvid.Dispose();
    }

    private static async Task EchoAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        var output = connection.Transport.Output;
        try
        {
            while (true)
            {
                var read = await input.ReadAsync(connection.ConnectionClosed).ConfigureAwait(false);
                foreach (var segment in read.Buffer)
                {
                    await output.WriteAsync(segment, connection.ConnectionClosed).ConfigureAwait(false);
                }

                input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted)
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException or ConnectionAbortedException)
        {
            // The client went away, or the connection was aborted (a revoked client): nothing left to echo.
        }
    }
}
