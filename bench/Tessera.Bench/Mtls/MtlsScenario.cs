using System.Globalization;
using System.Net;
using System.Net.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Spiffe.AspNetCore.Http;
using Tessera.Spiffe.AspNetCore.Kestrel;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.X509;

namespace Tessera.Bench.Mtls;

/// <summary>
/// <c>mtls</c>: the cost of SPIFFE mutual TLS with the SDK. One Kestrel in this process with two endpoints, one
/// using <c>UseSpiffeMtls</c> (SVID chosen per handshake, client SVID verified and authorized) and one plain
/// server-auth TLS with a fixed certificate; the same client code drives both, with SpiffeHttpHandler for the first
/// and a SocketsHttpHandler pinning the fixed certificate for the second. Measures keep-alive requests/s and
/// p50/p99 latency over HTTP/1.1 and HTTP/2, and the rate of new connections (one request each, HTTP/1.1).
/// </summary>
internal static class MtlsScenario
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var duration = TimeSpan.FromSeconds(Option(args, "--duration-seconds", 5));
        var concurrency = Option(args, "--concurrency", 8);
        var certificates = BenchCertificates.Create();

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1AndHttp2;
                l.UseSpiffeMtls(new FixedSvidSource(certificates.ServerSvid), certificates.Bundle, PeerAuthorizer.Id(BenchCertificates.ClientId));
            });
            k.Listen(IPAddress.Loopback, 0, l =>
            {
                l.Protocols = HttpProtocols.Http1AndHttp2;
                l.UseHttps(certificates.FixedServerCertificate);
            });
        });
        await using var app = builder.Build();
        app.MapGet("/ping", () => "pong");
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(a => new Uri(a)).ToList();
        var mtlsUri = new Uri(addresses[0], "/ping");
        var tlsUri = new Uri(addresses[1], "/ping");

        Console.WriteLine($"mtls: {concurrency} concurrent clients, {duration.TotalSeconds:F0} s per row, loopback, {Environment.ProcessorCount} cores");
        Console.WriteLine($"{"case",-34} {"transport",-28} {"req/s",10} {"p50 ms",8} {"p99 ms",8} {"failed",7}");
        var row = 0;
        foreach (var (name, version, fresh) in new[]
        {
            ("keep-alive, HTTP/1.1", HttpVersion.Version11, false),
            ("keep-alive, HTTP/2", HttpVersion.Version20, false),
            ("new connection per request, 1.1", HttpVersion.Version11, true),
        })
        {
            // The order alternates per row so a machine that gets busier or quieter does not favour one side.
            var rows = new (string Transport, Func<HttpClient> Client, Uri Uri)[]
            {
                ("mTLS, SPIFFE SDK", () => new HttpClient(SpiffeHttpHandler.Create(new FixedSvidSource(certificates.ClientSvid), certificates.Bundle, PeerAuthorizer.Id(BenchCertificates.ServerId))), mtlsUri),
                ("server-auth TLS, fixed cert", () => new HttpClient(PinnedTlsHandler(certificates)), tlsUri),
            };
            foreach (var (transport, create, uri) in row++ % 2 == 0 ? rows : rows.Reverse())
            {
                using var client = create();
                Print(name, transport, await LoadRunner.RunAsync(client, uri, version, fresh, concurrency, duration, cancellationToken).ConfigureAwait(false));
            }
        }

        await app.StopAsync(cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static SocketsHttpHandler PinnedTlsHandler(BenchCertificates certificates)
    {
        var pinned = certificates.FixedServerCertificate.RawData;
        return new SocketsHttpHandler
        {
            UseProxy = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                // The baseline checks the server by pinning its one certificate: the cheapest check there is.
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(pinned),
            },
        };
    }

    private static void Print(string name, string transport, LoadResult result) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-34} {transport,-28} {result.RequestsPerSecond,10:N0} {result.P50,8:F2} {result.P99,8:F2} {result.Failures,7}"));

    private static int Option(IReadOnlyList<string> args, string name, int fallback)
    {
        for (var i = 0; i + 1 < args.Count; i++)
        {
            if (args[i] == name)
            {
                return int.Parse(args[i + 1], CultureInfo.InvariantCulture);
            }
        }

        return fallback;
    }

    private sealed class FixedSvidSource(X509Svid svid) : IX509SvidSource
    {
        public X509Svid GetX509Svid() => svid;
    }
}
