using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Cli.Internal;
using Tessera.Hosting.Configuration;
using Tessera.Hosting.Files;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Dev;

/// <summary>
/// <c>tessera dev x509-svid --id ID --out DIR</c>: creates (or reuses) a development CA for the ID's trust
/// domain in DIR and issues an X509-SVID signed by it. Writes ca.pem, ca.key, svid.pem, svid.key and
/// bundle.pem; keys are written atomically with mode 0600.
/// </summary>
internal static class DevX509SvidCommand
{
    public static Command Create()
    {
        var id = new Option<string>("--id") { Description = "the SPIFFE ID to issue, e.g. spiffe://example.org/demo", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "directory to write the files to (created if missing)", Required = true };
        var ttl = new Option<string>("--ttl") { Description = "lifetime of the SVID, e.g. 90s, 5m, 1h", DefaultValueFactory = _ => "1h" };
        var dns = new Option<string[]>("--dns") { Description = "DNS names to add as SANs", AllowMultipleArgumentsPerToken = true };
        var command = new Command("x509-svid", "Issue an X509-SVID from a development CA kept in --out.") { id, output, ttl, dns };
        command.SetAction(result => DevFiles.Guard(() => Run(result.GetValue(id)!, result.GetValue(output)!, result.GetValue(ttl)!, result.GetValue(dns) ?? [])));
        return command;
    }

    private static int Run(string idText, DirectoryInfo output, string ttlText, string[] dnsNames)
    {
        if (!SpiffeId.TryParse(idText, out var id, out var error))
        {
            Console.Error.WriteLine($"--id: invalid SPIFFE ID: {error}");
            return ExitCodes.BadInput;
        }

        if (!id.HasPath)
        {
            Console.Error.WriteLine("--id: a leaf X509-SVID's SPIFFE ID must have a path (X509-SVID §3.1), e.g. spiffe://example.org/demo");
            return ExitCodes.BadInput;
        }

        if (!DurationParser.TryParse(ttlText, out var ttl, out error))
        {
            Console.Error.WriteLine($"--ttl: {error}");
            return ExitCodes.BadInput;
        }

        output.Create();
        var now = DateTimeOffset.UtcNow;
        using var ca = DevAuthority.LoadOrCreate(output.FullName, id.TrustDomain, now, out var created);
        if (ca is null)
        {
            return ExitCodes.BadInput;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=unused", key, HashAlgorithmName.SHA256);
        using var leaf = X509SvidIssuer.IssueLeaf(ca, id, request.PublicKey, now.AddSeconds(-30), now + ttl, dnsNames);
        AtomicFile.Write(Path.Combine(output.FullName, "svid.key"), key.ExportPkcs8PrivateKeyPem() + "\n", AtomicFile.PrivateMode);
        AtomicFile.Write(Path.Combine(output.FullName, "svid.pem"), leaf.ExportCertificatePem() + "\n", AtomicFile.PublicMode);
        AtomicFile.Write(Path.Combine(output.FullName, "bundle.pem"), ca.ExportCertificatePem() + "\n", AtomicFile.PublicMode);

        Console.WriteLine(created ? $"created development CA for {id.TrustDomain} in {output.FullName}" : $"reused development CA for {id.TrustDomain}");
        Console.WriteLine($"issued {id} serial {leaf.SerialNumber} valid until {leaf.NotAfter.ToUniversalTime():yyyy-MM-ddTHH:mm:ssZ}");
        Console.WriteLine($"wrote svid.pem, svid.key (0600), bundle.pem");
        return ExitCodes.Ok;
    }
}
