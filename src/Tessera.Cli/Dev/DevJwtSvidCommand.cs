using System.CommandLine;
using System.Security.Cryptography;
using Tessera.Cli.Internal;
using Tessera.Hosting.Configuration;
using Tessera.Hosting.Files;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;

namespace Tessera.Cli.Dev;

/// <summary>
/// <c>tessera dev jwt-svid --id ID --audience AUD --out DIR</c>: mints a JWT-SVID with a development signing
/// key kept in DIR (jwt.key, 0600) and writes token.jwt (0600) and bundle.json, the trust domain's SPIFFE
/// bundle holding the JWT key and, when DIR has one, the development X.509 CA.
/// </summary>
internal static class DevJwtSvidCommand
{
    public static Command Create()
    {
        var id = new Option<string>("--id") { Description = "the subject, e.g. spiffe://example.org/demo", Required = true };
        var audience = new Option<string[]>("--audience") { Description = "audience(s) the token is for", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "directory for jwt.key, token.jwt and bundle.json (created if missing)", Required = true };
        var ttl = new Option<string>("--ttl") { Description = "lifetime of the token, e.g. 5m", DefaultValueFactory = _ => "5m" };
        var command = new Command("jwt-svid", "Mint a JWT-SVID with a development signing key kept in --out.") { id, audience, output, ttl };
        command.SetAction(result => DevFiles.Guard(() => Run(result.GetValue(id)!, result.GetValue(audience)!, result.GetValue(output)!, result.GetValue(ttl)!)));
        return command;
    }

    private static int Run(string idText, string[] audience, DirectoryInfo output, string ttlText)
    {
        if (!SpiffeId.TryParse(idText, out var id, out var error))
        {
            Console.Error.WriteLine($"--id: invalid SPIFFE ID: {error}");
            return ExitCodes.BadInput;
        }

        if (!DurationParser.TryParse(ttlText, out var ttl, out error))
        {
            Console.Error.WriteLine($"--ttl: {error}");
            return ExitCodes.BadInput;
        }

        if (audience.Length == 0 || audience.Any(string.IsNullOrWhiteSpace))
        {
            Console.Error.WriteLine("--audience: give at least one non-empty audience (JWT-SVID §3.2)");
            return ExitCodes.BadInput;
        }

        output.Create();
        using var key = LoadOrCreateKey(Path.Combine(output.FullName, "jwt.key"));
        var signer = new JwtSvidSigner(key, KeyIdOf(key));
        var now = DateTimeOffset.UtcNow;
        var token = signer.Mint(id, audience, now, now + ttl, jwtId: Guid.NewGuid().ToString("N"));

        var caPath = Path.Combine(output.FullName, "ca.pem");
        var x509 = File.Exists(caPath) ? X509Bundle.Load(id.TrustDomain, caPath) : null;
        var bundle = new SpiffeBundle(id.TrustDomain, x509, new JwtBundle(id.TrustDomain, [signer.Authority]), sequence: 1, refreshHint: TimeSpan.FromMinutes(5));
        AtomicFile.Write(Path.Combine(output.FullName, "token.jwt"), token + "\n", AtomicFile.PrivateMode);
        AtomicFile.Write(Path.Combine(output.FullName, "bundle.json"), bundle.ToJson() + "\n", AtomicFile.PublicMode);

        // Never print the token: it is a bearer credential until it expires.
        Console.WriteLine($"minted JWT-SVID for {id}, audience {string.Join(", ", audience)}, {signer.Algorithm} key {signer.KeyId}, expires {(now + ttl).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}");
        Console.WriteLine("wrote token.jwt (0600), bundle.json");
        return ExitCodes.Ok;
    }

    private static ECDsa LoadOrCreateKey(string path)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (File.Exists(path))
        {
            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }

        AtomicFile.Write(path, key.ExportPkcs8PrivateKeyPem() + "\n", AtomicFile.PrivateMode);
        return key;
    }

    // The kid is derived from the public key so it is stable across runs and unique per key.
    private static string KeyIdOf(ECDsa key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
}
