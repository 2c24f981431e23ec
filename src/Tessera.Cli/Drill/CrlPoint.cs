using System.Security.Cryptography.X509Certificates;

namespace Tessera.Cli.Drill;

/// <summary>
/// The server's CRL, as a third party (nginx <c>ssl_crl</c>, <c>openssl verify -crl_check</c>) would read it, from the
/// health listener's <c>/crl</c> URL or the <c>crl.pem</c> file in the server's data directory: its signature must
/// verify against the trust domain's X.509 authorities (from the Workload API), and the revoked serial be listed.
/// </summary>
internal sealed class CrlPoint(string source, HttpClient http, Func<IEnumerable<X509Certificate2>> authorities) : IEnforcementPoint
{
    private string? _serial;

    public string Name => "server CRL";

    public string Source => source;

    public bool Covers(IDrillRevocation kind) => kind.Credential == CredentialKind.X509;

    public Task ArmAsync(CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        _serial = CrlSerials.Normalize(credentials.Serial);
        return Task.CompletedTask;
    }

    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var serial = _serial ?? throw new InvalidOperationException("not armed");
        var crl = IsUrl(source)
            ? await http.GetByteArrayAsync(new Uri(source), cancellationToken).ConfigureAwait(false)
            : await File.ReadAllBytesAsync(source, cancellationToken).ConfigureAwait(false);
        if (!CrlSignature.IsSignedBy(crl, authorities()))
        {
            throw new DrillFailure($"the CRL at {source} is not signed by an X.509 authority of the trust domain");
        }

        // Listed = refused: a relying party checking this CRL rejects the certificate.
        return CrlSerials.Read(crl).Contains(serial)
            ? ProbeResult.Refuse($"serial {serial} is listed")
            : ProbeResult.Accept($"serial {serial} is not listed");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public static bool IsUrl(string source) =>
        source.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
}
