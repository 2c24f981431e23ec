using System.Net;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Cli.Drill;

/// <summary>
/// An mTLS listener that should refuse the revoked canary client SVID, probed two ways: <c>new connection</c> opens a
/// connection per probe (new handshakes must be refused); <c>established</c> keeps the connection opened before the
/// revocation and sends a line on it per probe (the listener must close it).
/// </summary>
internal sealed class MtlsEchoPoint(string listener, bool established, IPEndPoint endPoint, SpiffeId serverId, Func<IX509BundleSource> bundles) : IEnforcementPoint
{
    private CanaryCredentials? _armed;
    private TlsEchoConnection? _connection;

    public string Name => $"{listener} ({(established ? "established" : "new connection")})";

    public bool Covers(IDrillRevocation kind) => kind.Credential == CredentialKind.X509;

    public async Task ArmAsync(CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        await CloseAsync().ConfigureAwait(false);
        _armed = credentials;
        if (established)
        {
            var (connection, result) = await TlsEchoConnection.OpenAsync(endPoint, credentials.Svid, bundles(), serverId, cancellationToken).ConfigureAwait(false);
            _connection = connection ?? throw new DrillFailure($"{Name}: could not open the connection to keep before revoking: {result.Detail}", Internal.ExitCodes.Unavailable);
        }
    }

    public async Task<ProbeResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var armed = _armed ?? throw new InvalidOperationException("not armed");
        if (established)
        {
            return await (_connection ?? throw new InvalidOperationException("not armed")).PingAsync(cancellationToken).ConfigureAwait(false);
        }

        var (connection, result) = await TlsEchoConnection.OpenAsync(endPoint, armed.Svid, bundles(), serverId, cancellationToken).ConfigureAwait(false);
        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        return result;
    }

    public ValueTask DisposeAsync() => new(CloseAsync());

    private async Task CloseAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
            _connection = null;
        }
    }
}
