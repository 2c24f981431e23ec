using System.Globalization;
using System.Threading.Channels;
using Tessera.Cli.Internal;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Cli.Helper;

/// <summary>The loop of <c>tessera helper run</c>: write the files on every change the Workload API reports, then reload.</summary>
internal sealed class HelperRunner(HelperSettings settings, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        X509Source? source = null;
        try
        {
            if (settings.WriteDirectory is not null)
            {
                source = await X509Source.CreateAsync(new WorkloadApiSourceOptions { Address = settings.SocketPath, InitialTimeout = settings.Timeout, TimeProvider = time }, cancellationToken).ConfigureAwait(false);
            }

            var tasks = new List<Task>();
            if (source is not null)
            {
                tasks.Add(WatchAsync(new ChosenSvidSource(source, settings.SpiffeId), cancellationToken));
            }

            if (settings.JwtFile is not null)
            {
                tasks.Add(new JwtFileRefresher(settings, time).RunAsync(cancellationToken));
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ConsoleLog.Info(time, "helper: stopping");
            return ExitCodes.Ok;
        }
        catch (TimeoutException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.Unavailable;
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.BadInput;
        }
        finally
        {
            if (source is not null)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task WatchAsync(ChosenSvidSource chosen, CancellationToken cancellationToken)
    {
        // One pending wake-up is enough: each pass writes whatever is current by then.
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        chosen.Source.Updated += (_, _) => changed.Writer.TryWrite(true);
        var reloader = new Reloader(settings, time);
        string? written = null;
        while (true)
        {
            var svid = chosen.TryGet();
            var bundles = chosen.Source.Bundles;
            if (svid is null)
            {
                ConsoleLog.Error(time, $"helper: the Workload API holds no SVID for {settings.SpiffeId}; waiting for one");
            }
            else if (SvidFiles.Fingerprint(svid, bundles) is var fingerprint && fingerprint != written)
            {
                await SvidFiles.WriteAsync(settings.WriteDirectory!, svid, bundles, cancellationToken).ConfigureAwait(false);
                written = fingerprint;
                var expiry = svid.NotAfter.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                ConsoleLog.Info(time, $"helper: wrote {svid.Id} serial {svid.Certificate.SerialNumber} expires {expiry} (bundles: {string.Join(", ", bundles.TrustDomains)}) to {settings.WriteDirectory}");
                await reloader.ReloadAsync(cancellationToken).ConfigureAwait(false);
            }

            await changed.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
