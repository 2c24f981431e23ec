using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Spiffe.AspNetCore.Kestrel;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Drill;

/// <summary>
/// An in-process Kestrel listener configured with the SDK the way an application would: <c>UseSpiffeMtls</c> with the
/// canary server SVID, allowing only the canary client, with the agent's deny list; each accepted connection echoes.
/// </summary>
internal sealed class SdkHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly X509Svid _serverSvid;

    private SdkHost(WebApplication app, X509Svid serverSvid, IPEndPoint endPoint)
    {
        _app = app;
        _serverSvid = serverSvid;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public static async Task<SdkHost> StartAsync(X509Svid serverSvid, IX509BundleSource bundles, SpiffeId clientId, IDenyListSource denyList, CancellationToken cancellationToken)
    {
        var endPoint = new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Free());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(endPoint, listen =>
        {
            listen.UseSpiffeMtls(new FixedSvidSource(serverSvid), bundles, PeerAuthorizer.Id(clientId), new SpiffeTlsOptions { DenyList = denyList });
            listen.Run(EchoAsync);
        }));
        var app = builder.Build();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return new SdkHost(app, serverSvid, endPoint);
    }

    public async ValueTask DisposeAsync()
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(5));
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
