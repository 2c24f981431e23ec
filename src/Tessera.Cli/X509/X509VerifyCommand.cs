using System.CommandLine;
using System.Globalization;
using Tessera.Cli.Internal;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.X509;

/// <summary>
/// <c>tessera x509 verify --svid FILE --bundle FILE</c>: verifies an X509-SVID chain (PEM or DER) against a
/// trust domain's bundle (PEM certificates or a SPIFFE bundle JSON document) at a given time.
/// </summary>
internal static class X509VerifyCommand
{
    public static Command Create()
    {
        var svid = new Option<FileInfo>("--svid") { Description = "the SVID: leaf certificate first, then intermediates (PEM or DER)", Required = true };
        var bundle = new Option<FileInfo>("--bundle") { Description = "the trust domain's bundle: PEM certificates or a SPIFFE bundle (JSON)", Required = true };
        var trustDomain = new Option<string>("--trust-domain") { Description = "the trust domain the bundle belongs to (default: the SVID's own)" };
        var at = new Option<string>("--at") { Description = "verify at this time (ISO 8601, e.g. 2026-01-01T00:00:00Z) instead of now" };
        var command = new Command("verify", "Verify an X509-SVID against a trust bundle; exit 0 if valid, 1 if rejected, 2 on bad input.") { svid, bundle, trustDomain, at };
        command.SetAction(result => Run(result.GetValue(svid)!, result.GetValue(bundle)!, result.GetValue(trustDomain), result.GetValue(at)));
        return command;
    }

    private static int Run(FileInfo svidFile, FileInfo bundleFile, string? trustDomainText, string? atText)
    {
        var when = DateTimeOffset.UtcNow;
        if (atText is not null && !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out when))
        {
            Console.Error.WriteLine($"--at: '{atText}' is not a time; use ISO 8601, e.g. 2026-01-01T00:00:00Z");
            return ExitCodes.BadInput;
        }

        if (!InputFiles.TryReadCertificates(svidFile, "--svid", Console.Error, out var chain))
        {
            return ExitCodes.BadInput;
        }

        TrustDomain? trustDomain = null;
        if (trustDomainText is not null)
        {
            if (!TrustDomain.TryParse(trustDomainText, out var parsed, out var error))
            {
                Console.Error.WriteLine($"--trust-domain: {error}");
                return ExitCodes.BadInput;
            }

            trustDomain = parsed;
        }

        if (!BundleFile.TryRead(bundleFile, "--bundle", trustDomain, out var bundle))
        {
            return ExitCodes.BadInput;
        }

        var result = X509SvidVerifier.Verify(chain, bundle, when);
        if (!result.IsValid)
        {
            Console.WriteLine($"REJECTED ({result.Error}): {result.Message}");
            return ExitCodes.Rejected;
        }

        var leaf = result.VerifiedChain[0];
        Console.WriteLine($"OK {result.Id}");
        Console.WriteLine($"  trust domain {result.Id.TrustDomain}, path of {result.VerifiedChain.Count} certificates to an authority in {bundleFile.Name} ({bundle.Format})");
        Console.WriteLine($"  serial {leaf.SerialNumber}, valid {leaf.NotBefore.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ} to {leaf.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}");
        return ExitCodes.Ok;
    }
}
