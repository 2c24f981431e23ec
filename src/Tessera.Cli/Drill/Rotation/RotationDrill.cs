using System.Diagnostics;
using Tessera.Cli.Internal;
using Tessera.Server.Ca;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Cli.Drill.Rotation;

/// <summary>
/// The rotation drill once the canary workloads exist: waits for their SVIDs on every agent, starts live mTLS
/// traffic between them, proves it flows, asks for the emergency rotation, and measures until every workload holds
/// an SVID from the new key and the old key has left every bundle — counting every failed request on the way.
/// </summary>
internal sealed class RotationDrill(TimeProvider time, Action<string> progress)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan WarmUp = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan AfterRemoval = TimeSpan.FromSeconds(2);

    /// <summary>Runs the drill over <paramref name="sources"/> (one per agent) holding <paramref name="ids"/> (by source).</summary>
    /// <exception cref="DrillPreconditionException">The canaries never got their SVIDs, or traffic did not flow before the rotation.</exception>
    public async Task<RotationDrillResult> RunAsync(
        IReadOnlyList<X509Source> sources,
        IReadOnlyList<(SpiffeId Id, int Source)> ids,
        RotationDrillSettings settings,
        Func<CancellationToken, Task<string>> rotate,
        CancellationToken ct)
    {
        var identities = ids.Select(w => new ChosenSvidSource(sources[w.Source], w.Id)).ToList();
        await WaitForSvidsAsync(identities, settings.Timeout, ct).ConfigureAwait(false);
        var before = identities.Select(i => CertificateAuthority.AuthorityKeyIdentifier(i.GetX509Svid().Certificate)).ToList();
        var oldKeys = before.ToHashSet(StringComparer.Ordinal);
        progress($"{identities.Count} canary workloads hold SVIDs from {string.Join(", ", oldKeys.Select(Short))}");

        var traffic = new MeshTraffic(identities, [.. ids.Select(w => w.Id)]);
        await using (traffic.ConfigureAwait(false))
        {
            var trafficStarted = time.GetTimestamp();
            traffic.Start(settings.Concurrency);
            // Warm up until every identity has served about one call (or the first failure, or a minute).
            while (traffic.Succeeded < identities.Count && traffic.Failed == 0 && time.GetElapsedTime(trafficStarted) < WarmUp)
            {
                await Task.Delay(Poll * 5, time, ct).ConfigureAwait(false);
            }

            if (traffic.Succeeded == 0 || traffic.Failed > 0)
            {
                throw new DrillPreconditionException($"mTLS between the canaries does not work before the rotation ({traffic.Succeeded} ok, {traffic.Failed} failed{FirstReason(traffic)}); nothing was rotated");
            }

            progress($"live mTLS traffic: {traffic.Succeeded} requests in {time.GetElapsedTime(trafficStarted).TotalSeconds:0.0} s, none failed; rotating");
            // Under an upstream authority the bundles hold the operator's root, never Tessera's intermediates: there
            // is no "old key out of the bundle" to wait for, only the re-issuance.
            var underUpstream = !sources.Any(s => Holds(s, oldKeys));
            var started = time.GetTimestamp();
            var rotation = await rotate(ct).ConfigureAwait(false);
            progress($"rotated: {rotation}");
            var reissued = new TimeSpan?[identities.Count];
            TimeSpan? removed = null;
            var deadline = started + (long)(settings.Timeout.TotalSeconds * Stopwatch.Frequency);
            while (time.GetTimestamp() < deadline)
            {
                var elapsed = time.GetElapsedTime(started);
                for (var i = 0; i < identities.Count; i++)
                {
                    if (reissued[i] is null && identities[i].TryGet() is { } svid && CertificateAuthority.AuthorityKeyIdentifier(svid.Certificate) != before[i])
                    {
                        reissued[i] = elapsed;
                    }
                }

                if (removed is null && reissued.All(r => r is not null) && !sources.Any(s => Holds(s, oldKeys)))
                {
                    removed = elapsed;
                    progress(underUpstream
                        ? $"every workload re-issued by {reissued.Max()!.Value.TotalSeconds:0.00} s (upstream authority: the bundles hold its root, not the old intermediate)"
                        : $"every workload re-issued by {reissued.Max()!.Value.TotalSeconds:0.00} s; old key out of every bundle at {elapsed.TotalSeconds:0.00} s");
                }

                if (removed is not null && time.GetElapsedTime(started) > removed.Value + AfterRemoval)
                {
                    break;
                }

                await Task.Delay(Poll, time, ct).ConfigureAwait(false);
            }

            return new RotationDrillResult
            {
                Workloads = identities.Count,
                Agents = sources.Count,
                Rotation = rotation,
                Requests = traffic.Succeeded + traffic.Failed,
                FailedRequests = traffic.Failed,
                FailureReasons = traffic.Reasons,
                Reissued = reissued,
                OldKeyRemoved = underUpstream ? null : removed,
                UnderUpstreamAuthority = underUpstream,
                TrafficDuration = time.GetElapsedTime(trafficStarted),
            };
        }
    }

    private async Task WaitForSvidsAsync(List<ChosenSvidSource> identities, TimeSpan timeout, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        while (identities.Any(i => i.TryGet() is null))
        {
            if (time.GetElapsedTime(started) > timeout)
            {
                var missing = identities.Count(i => i.TryGet() is null);
                throw new DrillPreconditionException($"{missing} of {identities.Count} canary workloads got no SVID within {timeout.TotalSeconds:0} s: are the agents' sockets and --parent-id right?");
            }

            await Task.Delay(Poll * 5, time, ct).ConfigureAwait(false);
        }
    }

    private static bool Holds(X509Source source, HashSet<string> keys) =>
        source.Bundles.TrustDomains.Any(td => source.TryGetX509Bundle(td, out var bundle) && bundle.Authorities.Any(a => keys.Contains(CertificateAuthority.SubjectKeyIdentifier(a))));

    private static string FirstReason(MeshTraffic traffic) =>
        traffic.Reasons.Keys.FirstOrDefault() is { } reason ? $"; first: {ConsoleLog.Sanitize(reason)}" : string.Empty;

    private static string Short(string keyId) => keyId.Length > 16 ? keyId[..16] + "…" : keyId;
}
