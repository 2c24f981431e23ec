using System.CommandLine;
using Tessera.Cli.Internal;
using Tessera.Hosting.Configuration;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;

namespace Tessera.Cli.Jwt;

/// <summary>
/// <c>tessera jwt validate --token FILE --bundle FILE --audience AUD</c>: validates a JWT-SVID against a trust
/// domain's SPIFFE bundle. Prints the subject and claims it relied on, never the token itself.
/// </summary>
internal static class JwtValidateCommand
{
    public static Command Create()
    {
        var token = new Option<string>("--token") { Description = "file holding the token, or - to read it from standard input", Required = true };
        var bundle = new Option<FileInfo>("--bundle") { Description = "the trust domain's SPIFFE bundle (JSON) holding the JWT signing keys", Required = true };
        var audience = new Option<string>("--audience") { Description = "the audience this validator identifies as; the token's aud must contain it", Required = true };
        var trustDomain = new Option<string>("--trust-domain") { Description = "the trust domain the bundle belongs to (default: the token's subject's)" };
        var leeway = new Option<string>("--leeway") { Description = "clock skew tolerated for exp/nbf/iat, e.g. 30s", DefaultValueFactory = _ => "30s" };
        var command = new Command("validate", "Validate a JWT-SVID; exit 0 if valid, 1 if rejected, 2 on bad input.") { token, bundle, audience, trustDomain, leeway };
        command.SetAction(result => Run(result.GetValue(token)!, result.GetValue(bundle)!, result.GetValue(audience)!, result.GetValue(trustDomain), result.GetValue(leeway)!));
        return command;
    }

    private static int Run(string tokenSource, FileInfo bundleFile, string audience, string? trustDomainText, string leewayText)
    {
        if (!DurationParser.TryParse(leewayText, out var leeway, out var error))
        {
            Console.Error.WriteLine($"--leeway: {error}");
            return ExitCodes.BadInput;
        }

        if (string.IsNullOrWhiteSpace(audience))
        {
            Console.Error.WriteLine("--audience: must not be empty");
            return ExitCodes.BadInput;
        }

        TrustDomain? trustDomain = null;
        if (trustDomainText is not null)
        {
            if (!TrustDomain.TryParse(trustDomainText, out var parsed, out error))
            {
                Console.Error.WriteLine($"--trust-domain: {error}");
                return ExitCodes.BadInput;
            }

            trustDomain = parsed;
        }

        if (!TryReadToken(tokenSource, out var token) || !BundleFile.TryRead(bundleFile, "--bundle", trustDomain, out var bundle))
        {
            return ExitCodes.BadInput;
        }

        var result = JwtSvidValidator.Validate(token, bundle, audience, DateTimeOffset.UtcNow, leeway);
        if (!result.IsValid)
        {
            Console.WriteLine($"REJECTED ({result.Error}): {result.Message}");
            return ExitCodes.Rejected;
        }

        var svid = result.Svid!;
        Console.WriteLine($"OK {svid.Id}");
        Console.WriteLine($"  audience {string.Join(", ", svid.Audience)}; {svid.Algorithm} key {svid.KeyId}");
        Console.WriteLine($"  expires {svid.Expiry.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}{(svid.JwtId is null ? string.Empty : $", jti {svid.JwtId}")}");
        return ExitCodes.Ok;
    }

    private static bool TryReadToken(string source, out string token)
    {
        token = string.Empty;
        try
        {
            // Bounded read: never buffer an unbounded "token"; the validator rejects anything over its cap.
            using var reader = source == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(source);
            var buffer = new char[JwtSvidValidator.MaxTokenLength + 2];
            var read = reader.ReadBlock(buffer, 0, buffer.Length);
            token = new string(buffer, 0, read).Trim();
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"--token: cannot read {source}: {ex.Message}");
            return false;
        }
    }
}
