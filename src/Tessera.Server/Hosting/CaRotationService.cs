using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Server.Audit;
using Tessera.Server.Ca;

namespace Tessera.Server.Hosting;

/// <summary>
/// Drives CA rotation: every <see cref="Interval"/> the CA moves its X.509 and JWT keys along
/// prepared → active → old as time demands; each change is an audit record and is pushed to agents. A failed tick is logged and
/// retried at the next one — the active key keeps signing meanwhile.
/// </summary>
internal sealed partial class CaRotationService(CertificateAuthority ca, IAuditLog audit, NodeApi.ChangeFeed changes, Revocations.RevocationRegistry revocations, TimeProvider time, ILogger<CaRotationService> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                if (await ca.TickAsync(stoppingToken).ConfigureAwait(false))
                {
                    // The bundle changed: connected agents get it pushed on their Sync streams, and the CRL is
                    // re-signed by the new active key.
                    changes.Signal();
                    await revocations.RefreshAsync(stoppingToken).ConfigureAwait(false);
                    await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), "server", "ca.rotate", $"bundle sequence {ca.Bundle.Sequence}", "ok", string.Empty), stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogTickFailed(logger, ex);
            }
        }
    }

    [LoggerMessage(EventId = 3200, Level = LogLevel.Error, Message = "CA rotation tick failed; the active keys keep signing and the tick is retried")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
