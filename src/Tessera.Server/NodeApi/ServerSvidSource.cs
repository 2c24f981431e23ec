using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Server.Audit;
using Tessera.Server.Ca;
using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.NodeApi;

/// <summary>
/// The server's own X509-SVID (<c>spiffe://&lt;td&gt;/tessera/server</c>) presented on the agent port. Issued by
/// the CA with a fresh key at start-up and re-issued at half-life; the TLS handshake asks for
/// <see cref="Current"/> every time, so a rotation needs no restart and no connection is cut.
/// </summary>
internal sealed partial class ServerSvidSource(CertificateAuthority ca, IAuditLog audit, TimeProvider time, Configuration.ServerOptions options, ILogger<ServerSvidSource> logger) : BackgroundService
{
    // How often the renewal loop looks for an emergency rotation (a tainted signing CA) while it waits for half-life.
    private static readonly TimeSpan TaintPoll = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private Issued? _current;

    /// <summary>Gets the server's SPIFFE ID.</summary>
    public SpiffeId Id { get; } = SpiffeId.FromSegments(ca.TrustDomain, "tessera", "server");

    /// <summary>Gets the certificate context for the next handshake, re-issuing synchronously if the current SVID has expired (the background loop normally renews long before).</summary>
    public SslStreamCertificateContext Current
    {
        get
        {
            Issued? reissued = null;
            SslStreamCertificateContext context;
            lock (_lock)
            {
                if (_current is null || time.GetUtcNow() >= _current.NotAfter)
                {
                    _current = reissued = Issue();
                }

                context = _current.Context;
            }

            if (reissued is not null)
            {
                // The safety net (renewal kept failing until expiry): a handshake cannot wait for the datastore, so
                // the record and audit entry are written in the background; a failure is logged.
                _ = RecordInBackgroundAsync(reissued);
            }

            return context;
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Issued before Kestrel starts listening, so the first handshake finds a certificate.
        await RenewAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Issued current;
            lock (_lock)
            {
                current = _current!;
            }

            var halfLife = current.NotBefore + ((current.NotAfter - current.NotBefore) / 2);

            // Signed by a tainted CA: re-issued once agents have had the new CA's bundle for ca_reissue_delay.
            var tainted = ca.TaintedAuthorities.FirstOrDefault(t => t.Kind == CaKeyKind.X509 && string.Equals(t.Identifier, current.Authority, StringComparison.Ordinal));
            var due = tainted is not null && tainted.TaintedAt + options.CaReissueDelay < halfLife ? tainted.TaintedAt + options.CaReissueDelay : halfLife;
            var wait = due - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait < TaintPoll ? wait : TaintPoll, time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await RenewAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The current SVID stays in use; retry soon rather than at the next half-life.
                LogRenewFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        var issued = Issue();
        lock (_lock)
        {
            _current = issued;
        }

        await RecordAsync(issued, cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordInBackgroundAsync(Issued issued)
    {
        try
        {
            await RecordAsync(issued, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRenewFailed(logger, ex);
        }
    }

    private async Task RecordAsync(Issued issued, CancellationToken cancellationToken)
    {
        // The issued-SVID record and its audit record are one transaction.
        await audit.WriteAuditedAsync<IssuedSvid>(async (writer, token) =>
        {
            var record = new IssuedSvid(issued.Serial, Id, issued.NotAfter, null, issued.Authority, issued.NotBefore);
            await writer.RecordIssuedSvidsAsync([record], token).ConfigureAwait(false);
            return (record, [new AuditEvent(time.GetUtcNow(), "server", "svid.server.issue", $"{Id} serial {issued.Serial}", "ok", string.Empty)]);
        }, cancellationToken).ConfigureAwait(false);
        LogIssued(logger, Id, issued.Serial, issued.NotAfter);
    }

    private Issued Issue()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var chain = ca.SignX509Svid(Id, new PublicKey(key));
        var leaf = chain[0].CopyWithPrivateKey(key);
        // offline: the chain is complete (leaf + intermediates); never fetch anything to build it.
        var context = SslStreamCertificateContext.Create(leaf, new X509Certificate2Collection(chain[1..]), offline: true);
        return new Issued(context, chain[0].SerialNumber, Utc(chain[0].NotBefore), Utc(chain[0].NotAfter), CertificateAuthority.AuthorityKeyIdentifier(chain[0]));
    }

    private static DateTimeOffset Utc(DateTime value) => new(value.ToUniversalTime(), TimeSpan.Zero);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "server SVID {SpiffeId} issued (serial {Serial}, expires {NotAfter:O})")]
    private static partial void LogIssued(ILogger logger, SpiffeId spiffeId, string serial, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "server SVID renewal failed; the current SVID stays in use and renewal is retried")]
    private static partial void LogRenewFailed(ILogger logger, Exception exception);

    private sealed record Issued(SslStreamCertificateContext Context, string Serial, DateTimeOffset NotBefore, DateTimeOffset NotAfter, string Authority);
}
