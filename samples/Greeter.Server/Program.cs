using System.Globalization;
using System.Net;
using Tessera.Spiffe.AspNetCore.Authentication;
using Tessera.Spiffe.AspNetCore.Authorization;
using Tessera.Spiffe.AspNetCore.Kestrel;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Tls;
using Tessera.Spiffe.WorkloadApi;

// A service that answers only one caller, authenticated by mutual TLS with SVIDs from the SPIFFE Workload API.
//   Greeter.Server [--port 8443] [--client-id spiffe://example.org/greeter/client]
// The Workload API socket comes from SPIFFE_ENDPOINT_SOCKET (e.g. unix:///run/tessera/agent/public/api.sock).
var port = int.Parse(Arg("--port") ?? "8443", CultureInfo.InvariantCulture);
var clientId = SpiffeId.Parse(Arg("--client-id") ?? "spiffe://example.org/greeter/client");

await using var source = await X509Source.CreateAsync();
Console.WriteLine($"server SVID {source.Svid.Id} serial {source.Svid.Certificate.SerialNumber}");
source.Updated += (_, _) => Console.WriteLine($"server SVID {source.Svid.Id} serial {source.Svid.Certificate.SerialNumber}");

var builder = WebApplication.CreateSlimBuilder();

// TLS: any member of the trust domain may connect (the SVID is re-read on every handshake, so rotation needs no
// restart); the /hello endpoint then admits only the greeter client.
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
    listen.UseSpiffeMtls(source, PeerAuthorizer.MemberOf(clientId.TrustDomain))));
builder.Services.AddAuthentication(SpiffeMtlsDefaults.AuthenticationScheme).AddSpiffeMtls();
builder.Services.AddAuthorization(options => options.AddPolicy("greeter-client", policy => policy.RequireSpiffeId(clientId)));

var app = builder.Build();
app.MapGet("/hello", (HttpContext context) =>
        $"hello {context.User.FindSpiffeId()}, your certificate is {context.Connection.ClientCertificate?.SerialNumber}")
    .RequireAuthorization("greeter-client");
await app.RunAsync();

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
