using System.Globalization;
using System.Text;
using Tessera.Cli.Internal;
using Tessera.Hosting.Files;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Cli.Helper;

/// <summary>
/// Keeps a JWT-SVID for one audience in a token file (0600, replaced atomically, no trailing newline), fetching a
/// new one at half the current one's remaining lifetime, and retrying every few seconds when the agent fails.
/// </summary>
internal sealed class JwtFileRefresher(HelperSettings settings, TimeProvider time)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MinimumDelay = TimeSpan.FromSeconds(1);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = settings.SocketPath, CallTimeout = settings.Timeout });
        while (true)
        {
            TimeSpan delay;
            try
            {
                var svid = await client.FetchJwtSvidAsync(settings.JwtAudience!, spiffeId: settings.SpiffeId, cancellationToken: cancellationToken).ConfigureAwait(false);
                await AtomicFile.WriteAsync(settings.JwtFile!, Encoding.ASCII.GetBytes(svid.Token), cancellationToken).ConfigureAwait(false);
                var expiry = svid.Expiry.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

                // Never the token itself: it is a bearer credential.
                ConsoleLog.Info(time, $"wrote JWT-SVID {svid.Id} aud {settings.JwtAudience} expires {expiry} to {settings.JwtFile}");
                delay = (svid.Expiry - time.GetUtcNow()) / 2;
                delay = delay < MinimumDelay ? MinimumDelay : delay;
            }
            catch (WorkloadApiException ex)
            {
                ConsoleLog.Error(time, $"JWT-SVID for {settings.JwtAudience}: {ex.Message}; retrying in {RetryDelay.TotalSeconds:0}s");
                delay = RetryDelay;
            }

            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }
}
