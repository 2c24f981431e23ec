using System.Collections.Concurrent;
using System.Net.Sockets;
using Tessera.Cli.Internal;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Cli.Proxy;

/// <summary>
/// The accept loop both proxy directions share: watches the Workload API (the SVIDs, and the agent's deny list so
/// that revoked peers are refused and their open connections closed), listens, hands each connection to the
/// direction's handler, and on SIGTERM stops accepting, lets open connections finish for the drain time, then closes them.
/// </summary>
internal sealed class ProxyRunner(ProxySettings settings, TimeProvider time)
{
    /// <summary>Handles one accepted connection; the runner disposes the socket afterwards.</summary>
    public delegate Task ConnectionHandler(Socket accepted, long id, ChosenSvidSource svids, ProxyRevocation revocation, CancellationToken cancellationToken);

    public async Task<int> RunAsync(ConnectionHandler handler, CancellationToken cancellationToken)
    {
        // Bound before the Workload API is asked anything: a port already taken is reported at once, not only once
        // an agent answers. Connections that arrive meanwhile wait in the backlog until the SVID is there.
        settings.Listen.TryGetAddress(out var address);
        using var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(address);
            listener.Listen(512);
        }
        catch (SocketException ex)
        {
            Console.Error.WriteLine($"--listen: cannot listen on {settings.Listen}: {ex.Message}");
            return ExitCodes.BadInput;
        }

        X509Source source;
        try
        {
            source = await X509Source.CreateAsync(new WorkloadApiSourceOptions { Address = settings.SocketPath, InitialTimeout = settings.WorkloadApiTimeout, TimeProvider = time }, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Ok;
        }

        await using (source.ConfigureAwait(false))
        {
            DenyListSource? denyList;
            try
            {
                denyList = await OpenDenyListAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or WorkloadApiException)
            {
                Console.Error.WriteLine($"proxy {settings.Direction}: cannot watch the deny list: {ex.Message}");
                return ExitCodes.Unavailable;
            }
            catch (OperationCanceledException)
            {
                return ExitCodes.Ok;
            }

            var revocation = new ProxyRevocation(denyList, settings.Direction, time);
            await using var revocationScope = revocation.ConfigureAwait(false);
            var svids = new ChosenSvidSource(source, settings.SpiffeId);
            if (svids.TryGet() is null)
            {
                Console.Error.WriteLine($"--spiffe-id: the Workload API holds no SVID for {settings.SpiffeId} (it sent {string.Join(", ", source.Context.Svids.Select(s => s.Id))})");
                return ExitCodes.BadInput;
            }

            var serial = svids.GetX509Svid().Certificate.SerialNumber;
            LogSvid(svids.GetX509Svid());
            source.Updated += (_, _) =>
            {
                // One line per rotation of the identity this proxy presents; other updates (bundles, other SVIDs) are quiet.
                if (svids.TryGet() is { } svid && Interlocked.Exchange(ref serial, svid.Certificate.SerialNumber) != svid.Certificate.SerialNumber)
                {
                    LogSvid(svid);
                }
            };
            ConsoleLog.Info(time, $"proxy {settings.Direction}: listening on {settings.Listen} as {svids.GetX509Svid().Id}, {(settings.Direction == "inbound" ? "forwarding to" : "upstream")} {settings.Target}, peer must be {settings.Authorizer.Description}");
            await AcceptAsync(listener, handler, svids, revocation, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
    }

    private void LogSvid(Tessera.Spiffe.X509.X509Svid svid) =>
        ConsoleLog.Info(time, $"proxy {settings.Direction}: using {svid.Id} serial {svid.Certificate.SerialNumber} expires {svid.NotAfter.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)}");

    /// <summary>
    /// Watches the deny list of the same agent. An agent that does not serve one (not a Tessera agent) gets one
    /// warning and the proxy runs without: it still verifies SVIDs, but cannot know of revocations.
    /// </summary>
    private async Task<DenyListSource?> OpenDenyListAsync(CancellationToken cancellationToken)
    {
        try
        {
            var denyList = await DenyListSource.CreateAsync(new WorkloadApiSourceOptions { Address = settings.SocketPath, InitialTimeout = settings.WorkloadApiTimeout, TimeProvider = time }, cancellationToken).ConfigureAwait(false);
            ConsoleLog.Info(time, $"proxy {settings.Direction}: watching the agent's deny list ({denyList.DenyList.Count} revoked credential(s))");
            return denyList;
        }
        catch (WorkloadApiException ex) when (ex.StatusCode == Grpc.Core.StatusCode.Unimplemented)
        {
            ConsoleLog.Error(time, $"proxy {settings.Direction}: warning: {ex.Message}; running without a deny list, so revoked but unexpired peers are not refused");
            return null;
        }
    }

    private async Task AcceptAsync(Socket listener, ConnectionHandler handler, ChosenSvidSource svids, ProxyRevocation revocation, CancellationToken stopping)
    {
        using var closing = new CancellationTokenSource();
        var open = new ConcurrentDictionary<long, Task>();
        long next = 0;
        while (!stopping.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await listener.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException ex)
            {
                ConsoleLog.Error(time, $"proxy {settings.Direction}: accept failed: {ex.Message}");
                continue;
            }

            var id = Interlocked.Increment(ref next);
            accepted.NoDelay = true;
            open[id] = Task.Run(async () =>
            {
                using (accepted)
                {
                    try
                    {
                        await handler(accepted, id, svids, revocation, closing.Token).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (ex is not OutOfMemoryException)
                    {
                        // One connection's failure must never stop the proxy.
                        ConsoleLog.Error(time, $"{settings.Direction} #{id}: failed: {ex.GetType().Name}: {ex.Message}");
                    }
                    finally
                    {
                        open.TryRemove(id, out _);
                    }
                }
            }, CancellationToken.None);
        }

        listener.Close();
        var remaining = open.Values.ToArray();
        ConsoleLog.Info(time, $"proxy {settings.Direction}: stopping; {remaining.Length} open connection(s) get {settings.DrainTimeout.TotalSeconds:0.#}s to finish");
        var all = Task.WhenAll(remaining);
        if (await Task.WhenAny(all, Task.Delay(settings.DrainTimeout, time, CancellationToken.None)).ConfigureAwait(false) != all)
        {
            await closing.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }

        ConsoleLog.Info(time, $"proxy {settings.Direction}: stopped");
    }
}
