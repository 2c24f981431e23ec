using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Spiffe.AspNetCore.Authentication;
using Tessera.Spiffe.AspNetCore.Authorization;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.AspNetCore.Tests.Hosting;

/// <summary>
/// A real Kestrel on 127.0.0.1:0 (HTTP/1.1 and HTTP/2) with the SpiffeMtls scheme and a few endpoints:
/// <c>/whoami</c> (the caller's SPIFFE ID), <c>/serial</c> (the client certificate's serial), <c>/admin</c>
/// (requires spiffe://example.org/admin), <c>/members</c> (requires trust domain example.org), <c>/wait</c>
/// (answers once <see cref="Gate"/> is released) and the gRPC Greeter. With JWT options, the SpiffeJwt scheme too and
/// <c>/jwt</c> (the SPIFFE ID of the bearer token) and <c>/jwt/admin</c> (requires spiffe://example.org/admin).
/// </summary>
internal sealed class KestrelHost : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private readonly WebApplication _app;

    private KestrelHost(WebApplication app, LogSink logs)
    {
        _app = app;
        Logs = logs;
    }

    public LogSink Logs { get; }

    public Uri BaseAddress { get; private set; } = null!;

    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<KestrelHost> StartAsync(Action<ListenOptions> listen, Action<SpiffeJwtAuthenticationOptions>? jwt = null)
    {
        var logs = new LogSink();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            l.Protocols = HttpProtocols.Http1AndHttp2;
            listen(l);
        }));
        builder.Services.AddGrpc();
        var authentication = builder.Services.AddAuthentication(SpiffeMtlsDefaults.AuthenticationScheme).AddSpiffeMtls();
        if (jwt is not null)
        {
            authentication.AddSpiffeJwt(jwt);
        }

        builder.Services.AddAuthorization(o =>
        {
            o.AddPolicy("jwt", p => p.AddAuthenticationSchemes(SpiffeJwtDefaults.AuthenticationScheme).RequireAuthenticatedUser());
            o.AddPolicy("jwt-admin", p => p.AddAuthenticationSchemes(SpiffeJwtDefaults.AuthenticationScheme).RequireSpiffeId(SpiffeId.Parse("spiffe://example.org/admin")));
            o.AddPolicy("admin", p => p.RequireSpiffeId(SpiffeId.Parse("spiffe://example.org/admin")));
            o.AddPolicy("members", p => p.RequireTrustDomain(TrustDomain.Parse("example.org")));
        });

        var app = builder.Build();
        var host = new KestrelHost(app, logs);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (HttpContext c) => c.User.FindSpiffeId()?.ToString() ?? "anonymous");
        app.MapGet("/serial", (HttpContext c) => c.Connection.ClientCertificate?.SerialNumber ?? "none");
        app.MapGet("/admin", () => "admin").RequireAuthorization("admin");
        app.MapGet("/members", (HttpContext c) => "member " + c.User.FindFirst(SpiffeClaimTypes.TrustDomain)?.Value).RequireAuthorization("members");
        app.MapGet("/wait", async () =>
        {
            await host.Gate.Task.WaitAsync(Timeout);
            return "waited";
        });
        app.MapGrpcService<GreeterService>();
        if (jwt is not null)
        {
            app.MapGet("/jwt", (HttpContext c) => c.User.FindSpiffeId()?.ToString()).RequireAuthorization("jwt");
            app.MapGet("/jwt/admin", () => "admin").RequireAuthorization("jwt-admin");
        }

        await app.StartAsync().WaitAsync(Timeout);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        host.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        Gate.TrySetResult();
        await _app.StopAsync().WaitAsync(Timeout);
        await _app.DisposeAsync();
    }
}
