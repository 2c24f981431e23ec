using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Tessera.Cli.Internal;
using Tessera.Contracts.Workload;
using Tessera.Hosting.Files;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Agents;

/// <summary>
/// <c>tessera agent api fetch x509 [--socket ADDR] [--write DIR] [--timeout 10s]</c>: prints each X509-SVID this
/// process is entitled to; with <c>--write</c>, writes the default identity as svid.pem (chain), svid.key
/// (PKCS#8, 0600, atomic) and bundle.pem, and each federated bundle the workload receives as
/// federated/&lt;trust-domain&gt;.pem.
/// </summary>
internal static class AgentApiFetchX509Command
{
    public static Command Create()
    {
        var connection = new WorkloadApiConnection();
        var write = new Option<DirectoryInfo>("--write") { Description = "write svid.pem, svid.key (0600) and bundle.pem of the default identity, and federated/<trust-domain>.pem per federated bundle, to this directory" };
        var command = new Command("x509", "Fetch this process's X509-SVIDs from the agent.") { write };
        connection.AddTo(command);
        command.SetAction((result, cancellationToken) =>
        {
            if (!connection.TryResolve(result, out var socket, out var timeout))
            {
                return Task.FromResult(ExitCodes.BadInput);
            }

            return WorkloadApiConnection.RunAsync(socket, timeout, async client =>
            {
                using var call = client.FetchX509SVID(new X509SVIDRequest(), WorkloadApiConnection.Call(timeout, cancellationToken));
                if (!await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    Console.Error.WriteLine("the agent ended the stream without an SVID");
                    return ExitCodes.Unavailable;
                }

                var response = call.ResponseStream.Current;
                if (response.Svids.Count == 0)
                {
                    // The agent never sends an empty set; a server that does is not one we can write files from.
                    Console.Error.WriteLine("the agent sent no SVID");
                    return ExitCodes.Unavailable;
                }

                foreach (var svid in response.Svids)
                {
                    Print(svid);
                }

                if (result.GetValue(write) is { } directory)
                {
                    await WriteAsync(directory, response.Svids[0], cancellationToken).ConfigureAwait(false);
                    WriteFederated(directory, response.FederatedBundles);
                }

                return ExitCodes.Ok;
            });
        });
        return command;
    }

    private static void Print(X509SVID svid)
    {
        var chain = CertificateChain.Parse(svid.X509Svid.Span);
        try
        {
            Console.WriteLine($"SPIFFE ID: {svid.SpiffeId}");
            Console.WriteLine($"  serial:  {chain[0].SerialNumber}");
            Console.WriteLine($"  expires: {chain[0].NotAfter.ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}");
            Console.WriteLine($"  hint:    {(svid.Hint.Length > 0 ? svid.Hint : "(none)")}");
        }
        finally
        {
            foreach (var certificate in chain)
            {
                certificate.Dispose();
            }
        }
    }

    private static void WriteFederated(DirectoryInfo directory, IDictionary<string, Google.Protobuf.ByteString> bundles)
    {
        foreach (var (key, der) in bundles)
        {
            // Keys are trust domain SPIFFE IDs ("spiffe://partner.example"); the parsed name is safe as a file name.
            if (!Tessera.Spiffe.Ids.TrustDomain.TryParse(key, out var trustDomain))
            {
                Console.Error.WriteLine("skipped a federated bundle with an invalid trust domain key");
                continue;
            }

            var certificates = CertificateChain.Parse(der.Span);
            try
            {
                var federated = Directory.CreateDirectory(Path.Combine(directory.FullName, "federated"));
                AtomicFile.Write(Path.Combine(federated.FullName, trustDomain.Name + ".pem"), string.Concat(certificates.Select(c => c.ExportCertificatePem() + "\n")), AtomicFile.PublicMode);
            }
            finally
            {
                foreach (var certificate in certificates)
                {
                    certificate.Dispose();
                }
            }

            Console.WriteLine($"wrote federated/{trustDomain.Name}.pem");
        }
    }

    private static async Task WriteAsync(DirectoryInfo directory, X509SVID svid, CancellationToken cancellationToken)
    {
        directory.Create();
        var chain = CertificateChain.Parse(svid.X509Svid.Span);
        var bundle = CertificateChain.Parse(svid.Bundle.Span);
        try
        {
            // The agent sends PKCS#8 DER (Workload API spec); PEM is its base64 under the PRIVATE KEY label (RFC 7468 §10).
            var keyPem = PemEncoding.WriteString("PRIVATE KEY", svid.X509SvidKey.Span) + "\n";
            await AtomicFile.WriteAsync(Path.Combine(directory.FullName, "svid.key"), Encoding.ASCII.GetBytes(keyPem), cancellationToken).ConfigureAwait(false);
            AtomicFile.Write(Path.Combine(directory.FullName, "svid.pem"), string.Concat(chain.Select(c => c.ExportCertificatePem() + "\n")), AtomicFile.PublicMode);
            AtomicFile.Write(Path.Combine(directory.FullName, "bundle.pem"), string.Concat(bundle.Select(c => c.ExportCertificatePem() + "\n")), AtomicFile.PublicMode);
        }
        finally
        {
            foreach (var certificate in chain.Concat(bundle))
            {
                certificate.Dispose();
            }
        }

        Console.WriteLine($"wrote svid.pem, svid.key (0600) and bundle.pem for {svid.SpiffeId} to {directory.FullName}");
    }
}
