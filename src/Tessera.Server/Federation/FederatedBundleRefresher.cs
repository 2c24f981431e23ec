using Microsoft.Extensions.Logging;
using Tessera.Server.Audit;
using Tessera.Server.Datastore;
using Tessera.Server.NodeApi;
using Tessera.Spiffe.Bundles;

namespace Tessera.Server.Federation;

/// <summary>
/// Fetches one federated trust domain's bundle and stores it when it is newer. A bundle that does not parse, has
/// no authorities, or carries a lower <c>spiffe_sequence</c> than the one held never replaces it (SPIFFE Trust
/// Domain and Bundle §4.1.1: the sequence only grows). Each update and each new kind of failure is an audit record
/// and a log line; a change is pushed to agents through the <see cref="ChangeFeed"/>.
/// </summary>
internal sealed partial class FederatedBundleRefresher(IBundleStore store, IBundleEndpointClient client, IAuditLog audit, ChangeFeed changes, TimeProvider time, ILogger<FederatedBundleRefresher> logger)
{
    private readonly Dictionary<Spiffe.Ids.TrustDomain, State> _states = [];

    /// <summary>Refreshes <paramref name="relationship"/> once; never throws for a failed fetch (the outcome says why).</summary>
    public async Task<RefreshOutcome> RefreshAsync(FederationRelationship relationship, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relationship);
        var state = StateOf(relationship);
        var trustDomain = relationship.TrustDomain;
        SpiffeBundle? held = null;
        try
        {
            var stored = await store.GetBundleAsync(trustDomain, cancellationToken).ConfigureAwait(false);
            held = stored is null ? null : SpiffeBundle.Parse(trustDomain, stored.Json);
            var body = await client.FetchAsync(relationship, held, cancellationToken).ConfigureAwait(false);
            SpiffeBundle fetched;
            try
            {
                fetched = SpiffeBundle.Parse(trustDomain, body);
            }
            catch (FormatException ex)
            {
                throw new BundleFetchException($"not a valid SPIFFE bundle: {ex.Message}", ex);
            }

            if (fetched.X509Bundle.IsEmpty && fetched.JwtBundle.Authorities.Count == 0)
            {
                throw new BundleFetchException("the bundle has no X.509 authorities and no JWT keys; keeping the held bundle");
            }

            if (held?.Sequence is { } heldSequence && fetched.Sequence is { } fetchedSequence && fetchedSequence < heldSequence)
            {
                throw new BundleFetchException($"spiffe_sequence went back from {heldSequence} to {fetchedSequence}; keeping the held bundle");
            }

            var json = fetched.ToJson();
            var updated = !string.Equals(json, stored?.Json, StringComparison.Ordinal);
            if (updated)
            {
                // The bundle and its audit record commit together: no stored bundle without its record, and no
                // record of an update that did not land.
                var detail = $"{trustDomain} sequence {fetched.Sequence?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"} ({fetched.X509Bundle.Authorities.Count} X.509 authorities, {fetched.JwtBundle.Authorities.Count} JWT keys) from {relationship.BundleEndpointUrl}";
                await audit.WriteAuditedAsync<StoredBundle>(async (writer, token) =>
                {
                    var written = await writer.SetBundleAsync(trustDomain, json, token).ConfigureAwait(false);
                    return (written, [new AuditEvent(time.GetUtcNow(), "server", "federation.bundle.update", detail, "ok", string.Empty)]);
                }, cancellationToken).ConfigureAwait(false);
                changes.Signal();
                LogUpdated(logger, trustDomain.Name, fetched.Sequence ?? 0, fetched.X509Bundle.Authorities.Count, fetched.JwtBundle.Authorities.Count);
            }

            state.Failures = 0;
            state.LastError = null;
            state.LastHint = fetched.RefreshHint;
            return new RefreshOutcome(updated, null, RefreshSchedule.AfterSuccess(fetched.RefreshHint));
        }
        catch (Exception ex) when (ex is BundleFetchException or DataStoreUnavailableException or FormatException)
        {
            state.Failures++;
            var next = RefreshSchedule.AfterFailure(state.Failures, state.LastHint ?? held?.RefreshHint);
            LogFailed(logger, trustDomain.Name, ex.Message, next);
            if (!string.Equals(state.LastError, ex.Message, StringComparison.Ordinal))
            {
                // One audit record per distinct failure, not per retry: a partner's outage must not flood the chain.
                state.LastError = ex.Message;
                await TryAuditFailureAsync(trustDomain.Name, ex.Message, cancellationToken).ConfigureAwait(false);
            }

            return new RefreshOutcome(false, ex.Message, next);
        }
    }

    private async Task TryAuditFailureAsync(string trustDomain, string reason, CancellationToken cancellationToken)
    {
        try
        {
            await audit.AppendAsync(new AuditEvent(time.GetUtcNow(), "server", "federation.bundle.refresh", trustDomain, "error", reason), cancellationToken).ConfigureAwait(false);
        }
        catch (DataStoreUnavailableException ex)
        {
            LogAuditFailed(logger, ex);
        }
    }

    private State StateOf(FederationRelationship relationship)
    {
        lock (_states)
        {
            if (!_states.TryGetValue(relationship.TrustDomain, out var state))
            {
                _states[relationship.TrustDomain] = state = new State();
            }

            return state;
        }
    }

    [LoggerMessage(EventId = 4601, Level = LogLevel.Information, Message = "federated bundle of {TrustDomain} updated to sequence {Sequence} ({X509Count} X.509 authorities, {JwtCount} JWT keys)")]
    private static partial void LogUpdated(ILogger logger, string trustDomain, ulong sequence, int x509Count, int jwtCount);

    [LoggerMessage(EventId = 4602, Level = LogLevel.Warning, Message = "federated bundle of {TrustDomain} not refreshed: {Reason}; retry in {Next}")]
    private static partial void LogFailed(ILogger logger, string trustDomain, string reason, TimeSpan next);

    [LoggerMessage(EventId = 4603, Level = LogLevel.Error, Message = "could not write the audit record of a failed federated bundle refresh")]
    private static partial void LogAuditFailed(ILogger logger, Exception exception);

    private sealed class State
    {
        public int Failures { get; set; }

        public string? LastError { get; set; }

        public TimeSpan? LastHint { get; set; }
    }
}
