using System.Formats.Asn1;
using Grpc.Core;
using Tessera.Spiffe.WorkloadApi;

namespace Tessera.Cli.Drill;

/// <summary>
/// One kind, one round: waits for a fresh canary credential, proves every covering enforcement point accepts it
/// (else the drill would measure nothing), revokes it, and polls every point until it refuses or the watch ends.
/// </summary>
internal sealed class Rehearsal(DrillSettings settings, DrillAdmin admin, Canary canary, WorkloadApiClient client, CanaryWatch watch, IReadOnlyList<IEnforcementPoint> points, string audience, TimeProvider time, Action<string> say)
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);
    private readonly HashSet<string> _revokedSerials = new(StringComparer.OrdinalIgnoreCase);

    public async Task<IReadOnlyList<DrillSample>> RunAsync(IDrillRevocation kind, int round, CancellationToken cancellationToken)
    {
        var covered = points.Where(p => p.Covers(kind)).ToList();
        if (canary.ClientEntryId is null)
        {
            await canary.CreateClientAsync(cancellationToken).ConfigureAwait(false);
        }

        using var credentials = await ArmAsync(kind, round, covered, cancellationToken).ConfigureAwait(false);
        var sent = time.GetTimestamp();
        var what = await kind.RevokeAsync(admin, credentials, cancellationToken).ConfigureAwait(false);
        var returned = time.GetTimestamp();
        if (kind.Credential == CredentialKind.X509)
        {
            _revokedSerials.Add(credentials.Serial);
        }
        if (kind.RemovesEntry)
        {
            canary.ClientDeleted();
        }

        say($"round {round} {kind.Name}: revoked {what} (admin call {DrillFormat.Duration(time.GetElapsedTime(sent, returned))}); watching {covered.Count} point(s)");
        var samples = await Task.WhenAll(covered.Select(p => MeasureAsync(p, kind, round, sent, returned, cancellationToken))).ConfigureAwait(false);
        foreach (var sample in samples)
        {
            say($"round {round} {kind.Name}: {sample.Point}: {(sample.Refused ? $"refused after {DrillFormat.Duration(sample.SinceSent)}" : "NOT refused")} ({sample.Detail})");
        }

        return samples;
    }

    private async Task<CanaryCredentials> ArmAsync(IDrillRevocation kind, int round, IReadOnlyList<IEnforcementPoint> covered, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var last = "no credential yet";
        while (true)
        {
            var remaining = settings.SetupTimeout - time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                throw new DrillFailure($"precondition failed before {kind.Name} (round {round}): {last}; the drill cannot measure a refusal without a prior acceptance", Internal.ExitCodes.Unavailable);
            }

            // After a serial revocation the agent re-issues a new SVID for the still-valid entry: wait for it.
            var id = canary.ClientId;
            if (!await watch.WaitUntilAsync(() => watch.ServedSerial(id) is { } s && !_revokedSerials.Contains(s), remaining, cancellationToken).ConfigureAwait(false))
            {
                last = $"the agent serves no fresh X509-SVID for {id} (last Workload API answer: {watch.LastError})";
                continue;
            }

            var credentials = await FetchAsync(cancellationToken).ConfigureAwait(false);
            if (credentials is null)
            {
                last = $"the agent gave no JWT-SVID for {id}";
                await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var refusal = await FirstRefusalAsync(covered, credentials, cancellationToken).ConfigureAwait(false);
            if (refusal is null)
            {
                return credentials;
            }

            credentials.Dispose();
            last = refusal;
            await Task.Delay(RetryDelay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<CanaryCredentials?> FetchAsync(CancellationToken cancellationToken)
    {
        var svid = watch.CopySvid(canary.ClientId);
        if (svid is null || canary.ClientEntryId is not { } entryId)
        {
            svid?.Dispose();
            return null;
        }

        try
        {
            var jwt = await client.FetchJwtSvidAsync(audience, spiffeId: canary.ClientId, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new CanaryCredentials(canary.ClientId, entryId, svid, jwt.Token, jwt.JwtId ?? string.Empty, jwt.Expiry);
        }
        catch (WorkloadApiException)
        {
            svid.Dispose();
            return null;
        }
    }

    private static async Task<string?> FirstRefusalAsync(IReadOnlyList<IEnforcementPoint> covered, CanaryCredentials credentials, CancellationToken cancellationToken)
    {
        foreach (var point in covered)
        {
            try
            {
                await point.ArmAsync(credentials, cancellationToken).ConfigureAwait(false);
                var result = await point.ProbeAsync(cancellationToken).ConfigureAwait(false);
                if (!result.Accepted)
                {
                    return $"{point.Name} refuses the fresh canary credential ({result.Detail})";
                }
            }
            catch (Exception ex) when (IsProbeFailure(ex, cancellationToken))
            {
                return $"{point.Name} cannot be probed: {ex.Message}";
            }
        }

        return null;
    }

    private async Task<DrillSample> MeasureAsync(IEnforcementPoint point, IDrillRevocation kind, int round, long sent, long returned, CancellationToken cancellationToken)
    {
        var last = "accepted";
        while (true)
        {
            var started = time.GetTimestamp();
            var sinceSent = time.GetElapsedTime(sent, started);
            if (sinceSent > settings.Watch)
            {
                return new DrillSample(kind.Name, point.Name, round, null, null, $"still accepted after {DrillFormat.Duration(settings.Watch)} ({last})");
            }

            try
            {
                var result = await point.ProbeAsync(cancellationToken).ConfigureAwait(false);
                if (!result.Accepted)
                {
                    // The time the refused attempt was made: a credential presented then was refused.
                    return new DrillSample(kind.Name, point.Name, round, sinceSent, time.GetElapsedTime(returned, started), result.Detail);
                }

                last = result.Detail;
            }
            catch (Exception ex) when (IsProbeFailure(ex, cancellationToken))
            {
                // A point that cannot be asked (CRL unreachable) has not refused anything: keep asking.
                last = $"probe failed: {ex.Message}";
            }

            await Task.Delay(settings.PollInterval, time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsProbeFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException or WorkloadApiException or RpcException or AsnContentException or FormatException or DrillFailure or UnauthorizedAccessException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);
}
