using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Configuration;
using Tessera.Agent.Hosting;
using Tessera.Agent.Internal;
using Tessera.Agent.NodeClient;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.NodeAttestation;

/// <summary>
/// Keeps the agent attested: restores the stored SVID when it is still valid (no new join token on restart),
/// otherwise attests with the configured attestor; renews at half-life; re-attests when the server refuses the
/// agent (evicted); stops the agent with a clear reason when that is impossible (e.g. the join token was used).
/// </summary>
internal sealed partial class AgentIdentityService(
    AgentOptions options,
    AgentIdentity identity,
    AgentStateStore store,
    AttestationClient client,
    NodeConnection connection,
    INodeAttestorClient? attestor,
    AgentTermination termination,
    Svids.TaintedAuthorities tainted,
    TimeProvider time,
    ILogger<AgentIdentityService> logger) : BackgroundService
{
    private static readonly TimeSpan RetryCap = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        LoadBundle();
        var stored = store.LoadSvid(out var problem);
        if (stored is not null && stored.IsValidAt(time.GetUtcNow()))
        {
            Log.Restored(logger, stored.Id, stored.NotAfter);
            identity.SetSvid(stored);
        }
        else
        {
            Log.NoStoredSvid(logger, problem ?? "the stored agent SVID has expired");
            if (!await AttestAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }

        var backoff = new Backoff(TimeSpan.FromSeconds(1), RetryCap);
        DateTimeOffset? retryAt = null;
        var retriedFresh = false;
        var taintUnit = Random.Shared.NextDouble();
        while (true)
        {
            var seen = identity.Version;
            var svid = identity.Svid!;
            if (identity.Refused || time.GetUtcNow() >= svid.NotAfter)
            {
                Log.Refused(logger, svid.Id);
                store.DeleteSvid();
                if (!await AttestAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            // Signed by a CA tainted in an emergency rotation: renewed early, like the workload SVIDs, so the tainted
            // CA can leave the bundle without cutting this agent off.
            var taintedSeen = tainted.Version;
            var renewAt = retryAt ?? (tainted.ReissueAt(Svids.TaintedAuthorities.AuthorityKeyIdOf(svid.Svid.Certificate), svid.NotBefore, taintUnit) is { } early && early < svid.RenewAt ? early : svid.RenewAt);
            if (time.GetUtcNow() < renewAt)
            {
                await Wait.UntilAsync(time, renewAt, token => Task.WhenAny(identity.WaitForChangeAsync(seen, token), tainted.WaitForChangeAsync(taintedSeen, token)), cancellationToken).ConfigureAwait(false);
                continue;
            }

            var renewed = await client.RenewAsync(cancellationToken).ConfigureAwait(false);
            if (renewed.Svid is { } next)
            {
                await store.SaveSvidAsync(next, cancellationToken).ConfigureAwait(false);

                // A fresh channel before the new SVID is published: pooled connections present the certificate they
                // were opened with, and the server stops accepting the previous SVID once it expires (or its grace
                // ends) — the next renewal over such a connection would be refused as if the agent were evicted.
                connection.Reset(presented: next);
                identity.SetSvid(next);
                Log.Renewed(logger, next.Id, next.Serial, next.NotAfter);
                backoff.Reset();
                retryAt = null;
                retriedFresh = false;
            }
            else if (renewed.Refused && !retriedFresh)
            {
                // Before concluding the server no longer accepts this agent, ask once more on a new connection: a
                // refusal of a stale connection's certificate must not cost the agent its identity.
                Log.RenewFailed(logger, renewed.Error!);
                connection.Reset();
                retriedFresh = true;
                retryAt = null;
            }
            else if (renewed.Refused)
            {
                Log.RenewFailed(logger, renewed.Error!);
                identity.ReportRefused(svid);
                retryAt = null;
                retriedFresh = false;
            }
            else
            {
                Log.RenewFailed(logger, renewed.Error!);
                retryAt = time.GetUtcNow() + backoff.Next();
            }
        }
    }

    /// <summary>Attests until it works, stopping the agent if the server refuses or no attestor is configured.</summary>
    private async Task<bool> AttestAsync(CancellationToken cancellationToken)
    {
        identity.SetSvid(null);
        if (attestor is null)
        {
            termination.Fail("the agent has no valid SVID and no node attestor is configured: give join_token or x509pop_cert_file + x509pop_key_file");
            return false;
        }

        var backoff = new Backoff(TimeSpan.FromMilliseconds(500), RetryCap);
        while (true)
        {
            var outcome = await client.AttestAsync(attestor, options.InsecureBootstrap, cancellationToken).ConfigureAwait(false);
            if (outcome.Svid is { } svid)
            {
                if (outcome.Bundle is { } bundle)
                {
                    identity.SetBundle(bundle);
                    await store.SaveBundleAsync(bundle, cancellationToken).ConfigureAwait(false);
                }

                await store.SaveSvidAsync(svid, cancellationToken).ConfigureAwait(false);

                // A fresh channel before the SVID is published: pooled connections were opened without a client
                // certificate (first attestation) or with the refused one (re-attestation), and a call reusing them
                // would be refused again - and taken for a refusal of the new SVID.
                connection.Reset(presented: svid);
                identity.SetSvid(svid);
                Log.Attested(logger, attestor.Type, svid.Id, svid.NotAfter);
                return true;
            }

            if (outcome.Refused)
            {
                termination.Fail($"node attestation ({attestor.Type}) was refused: {outcome.Error}");
                return false;
            }

            var delay = backoff.Next();
            Log.AttestRetry(logger, outcome.Error!, delay);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void LoadBundle()
    {
        var stored = store.LoadBundle(options.TrustDomain, out var problem);
        if (problem is not null)
        {
            Log.BundleProblem(logger, problem);
        }

        SpiffeBundle? configured = options.TrustBundleFile is null ? null : TrustBundleFile.Load(options.TrustDomain, options.TrustBundleFile);

        // Both sources are trusted: the stored bundle is the server's latest (CA rotations since the file was made),
        // the configured file is what the operator vouches for now.
        var authorities = (stored?.X509Bundle.Authorities ?? []).Concat(configured?.X509Bundle.Authorities ?? []);
        if (stored is not null || configured is not null)
        {
            identity.SetBundle(new SpiffeBundle(options.TrustDomain, new X509Bundle(options.TrustDomain, authorities), stored?.JwtBundle ?? configured?.JwtBundle));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "restored agent SVID {SpiffeId} from disk (valid until {NotAfter:O}); no attestation needed")]
        public static partial void Restored(ILogger logger, SpiffeId spiffeId, DateTimeOffset notAfter);

        [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "attesting: {Reason}")]
        public static partial void NoStoredSvid(ILogger logger, string reason);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "attested with {Attestor} as {SpiffeId} (valid until {NotAfter:O})")]
        public static partial void Attested(ILogger logger, string attestor, SpiffeId spiffeId, DateTimeOffset notAfter);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "{Error}; retrying in {Delay}")]
        public static partial void AttestRetry(ILogger logger, string error, TimeSpan delay);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "renewed agent SVID {SpiffeId} serial {Serial} (valid until {NotAfter:O})")]
        public static partial void Renewed(ILogger logger, SpiffeId spiffeId, string serial, DateTimeOffset notAfter);

        [LoggerMessage(EventId = 1205, Level = LogLevel.Warning, Message = "{Error}")]
        public static partial void RenewFailed(ILogger logger, string error);

        [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "the server no longer accepts agent {SpiffeId} (evicted, banned or expired); dropping the stored SVID and attesting again")]
        public static partial void Refused(ILogger logger, SpiffeId spiffeId);

        [LoggerMessage(EventId = 1207, Level = LogLevel.Warning, Message = "{Problem}")]
        public static partial void BundleProblem(ILogger logger, string problem);
    }
}
