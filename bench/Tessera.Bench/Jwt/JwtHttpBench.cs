using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Spiffe.AspNetCore.Authentication;
using Tessera.Spiffe.Bundles;

namespace Tessera.Bench.Jwt;

/// <summary>The SpiffeJwt scheme on an in-process Kestrel: request rate with a bearer JWT-SVID against an anonymous endpoint.</summary>
internal static class JwtHttpBench
{
    public static async Task<(double Anonymous, double Jwt)> RunAsync(IJwtBundleSource bundles, string token, string audience, TimeSpan duration, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddAuthentication(SpiffeJwtDefaults.AuthenticationScheme).AddSpiffeJwt(o =>
        {
            o.Audience = audience;
            o.Bundles = bundles;
        });
        builder.Services.AddAuthorization();
        await using var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/anon", () => "ok");
        app.MapGet("/jwt", () => "ok").RequireAuthorization();
        await app.StartAsync(ct).ConfigureAwait(false);
        try
        {
            var baseUri = new Uri(app.Urls.Single());
            using var http = new HttpClient { BaseAddress = baseUri };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            async Task Get(string path)
            {
                using var response = await http.GetAsync(new Uri(path, UriKind.Relative), ct).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
            }

            // Alternating rounds, best of each: see RateMeter.BestRates.
            double anonymous = 0, jwt = 0;
            for (var round = 0; round < 3; round++)
            {
                anonymous = Math.Max(anonymous, await RateMeter.RateAsync(duration, () => Get("/anon")).ConfigureAwait(false));
                jwt = Math.Max(jwt, await RateMeter.RateAsync(duration, () => Get("/jwt")).ConfigureAwait(false));
            }

            return (anonymous, jwt);
        }
        finally
        {
            await app.StopAsync(ct).ConfigureAwait(false);
        }
    }
}
