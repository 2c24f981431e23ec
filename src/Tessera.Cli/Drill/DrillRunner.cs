using System.Security.Cryptography;
using Grpc.Core;
using Tessera.Contracts.Transport;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Cli.Drill;

/// <summary>
/// Runs the revocation drill against a live deployment: creates the canary identities, starts the enforcement
/// points, rehearses every kind for every round (fresh credential → every point accepts it → revoke → time until
/// every point refuses it), and cleans up (entries, proxy, listeners) however it ends. Revocations stay: they are
/// audit history and expire with the canary credentials.
/// </summary>
internal sealed class DrillRunner(DrillSettings settings, TextWriter progress, TimeProvider time)
{
    private static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(15);
    private readonly string _runId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public async Task<DrillReport> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.AdminSocket))
        {
            throw new DrillFailure($"no admin socket at {Path.GetFullPath(settings.AdminSocket)}: is `tessera server run` running there? (use --admin-socket)", Internal.ExitCodes.Unavailable);
        }

        if (!File.Exists(settings.WorkloadSocket))
        {
            throw new DrillFailure($"no Workload API socket at {settings.WorkloadSocket}: is `tessera agent run` running? (use --socket)", Internal.ExitCodes.Unavailable);
        }

        using var channel = UnixSocketChannel.Create(Path.GetFullPath(settings.AdminSocket));
        var admin = new DrillAdmin(new Contracts.Admin.V1.Admin.AdminClient(channel), _runId);
        try
        {
            return await RunAsync(admin, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the drill was cancelled", ex, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw new DrillFailure($"the server's admin API failed the call ({ex.StatusCode}): {ex.Status.Detail}", Internal.ExitCodes.Unavailable);
        }
    }

    private async Task<DrillReport> RunAsync(DrillAdmin admin, CancellationToken cancellationToken)
    {
        var info = await admin.GetServerInfoAsync(cancellationToken).ConfigureAwait(false);
        var trustDomain = TrustDomain.Parse(info.TrustDomain);
        var parent = await ResolveParentAsync(admin, trustDomain, cancellationToken).ConfigureAwait(false);
        var canary = new Canary(admin, trustDomain, _runId, parent, CanarySelectors.ForThisProcess(), time);
        Say($"run {_runId}: canary {canary.ClientId} (and …/server) under {parent}, bound {DrillFormat.Duration(settings.Bound)}, {settings.Rounds} round(s) of {string.Join(", ", settings.Kinds.Select(k => k.Name))}");
        var points = new DrillPoints();
        try
        {
            await canary.CreateServerAsync(cancellationToken).ConfigureAwait(false);
            await canary.CreateClientAsync(cancellationToken).ConfigureAwait(false);
            using var client = new WorkloadApiClient(new WorkloadApiClientOptions { Address = "unix://" + settings.WorkloadSocket, CallTimeout = settings.WorkloadTimeout });
            await using var watch = new CanaryWatch(client);
            await WaitForSvidsAsync(watch, [canary.ClientId, canary.ServerId], cancellationToken).ConfigureAwait(false);
            await points.StartAsync(settings, canary, client, watch, _runId, cancellationToken).ConfigureAwait(false);
            var rehearsal = new Rehearsal(settings, admin, canary, client, watch, points.All, points.Audience, time, Say);
            var samples = new List<DrillSample>();
            for (var round = 1; round <= settings.Rounds; round++)
            {
                foreach (var kind in settings.Kinds)
                {
                    samples.AddRange(await rehearsal.RunAsync(kind, round, cancellationToken).ConfigureAwait(false));
                }
            }

            return new DrillReport(_runId, settings.Bound, settings.Rounds, DrillStatistics.Rows(samples, settings.Bound), samples, points.Notes);
        }
        finally
        {
            await CleanUpAsync(canary, points).ConfigureAwait(false);
        }
    }

    private async Task<SpiffeId> ResolveParentAsync(DrillAdmin admin, TrustDomain trustDomain, CancellationToken cancellationToken)
    {
        var agents = (await admin.ListAgentsAsync(cancellationToken).ConfigureAwait(false)).Where(a => !a.Banned).Select(a => a.SpiffeId).ToList();
        if (settings.ParentId is { } given)
        {
            return agents.Contains(given.ToString())
                ? given
                : throw new DrillFailure($"--parent-id: {given} is not an attested agent of {trustDomain} (attested: {Names(agents)})", Internal.ExitCodes.BadInput);
        }

        return agents.Count switch
        {
            1 => SpiffeId.Parse(agents[0]),
            0 => throw new DrillFailure($"no agent is attested to {trustDomain}: start `tessera agent run` against this server first", Internal.ExitCodes.BadInput),
            _ => throw new DrillFailure($"{agents.Count} agents are attested ({Names(agents)}): give --parent-id with the one serving --socket", Internal.ExitCodes.BadInput),
        };
    }

    private async Task WaitForSvidsAsync(CanaryWatch watch, SpiffeId[] ids, CancellationToken cancellationToken)
    {
        if (!await watch.WaitUntilAsync(() => ids.All(id => watch.ServedSerial(id) is not null), settings.SetupTimeout, cancellationToken).ConfigureAwait(false))
        {
            throw new DrillFailure($"the agent at {settings.WorkloadSocket} did not serve the canary SVIDs within {settings.SetupTimeout.TotalSeconds:0} s "
                + $"(last Workload API answer: {watch.LastError}); is --socket served by the agent the entries are parented to?", Internal.ExitCodes.Unavailable);
        }
    }

    private async Task CleanUpAsync(Canary canary, DrillPoints points)
    {
        // Time-boxed and not tied to the run's token: a Ctrl-C still removes the canary and stops the proxy. The
        // command line library ends the process about 2 s after a signal, so the essentials go first: the proxy is
        // told to stop and the entries are deleted before anything is waited for.
        using var limit = new CancellationTokenSource(CleanupLimit);
        points.BeginStop();
        try
        {
            var deleted = await canary.DeleteAllAsync(limit.Token).ConfigureAwait(false);
            Say($"cleanup: deleted canary entr{(deleted.Count == 1 ? "y" : "ies")} {string.Join(", ", deleted)}; the drill's revocations stay in `tessera revoke list` (audit history)");
        }
        catch (Exception ex) when (ex is RpcException or OperationCanceledException)
        {
            Say($"cleanup: could not delete the canary entries (owner {Canary.Owner}; they expire within an hour): {ex.Message}");
        }

        try
        {
            await points.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException)
        {
            Say($"cleanup: stopping the enforcement points failed: {ex.Message}");
        }
    }

    private void Say(string line) => progress.WriteLine("drill: " + line);

    private static string Names(List<string> agents) => agents.Count == 0 ? "none" : string.Join(", ", agents);
}
