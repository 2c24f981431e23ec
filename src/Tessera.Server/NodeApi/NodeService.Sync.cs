using Grpc.Core;
using Tessera.Contracts.Node.V1;
using Tessera.Server.Datastore;

namespace Tessera.Server.NodeApi;

/// <summary>
/// Sync: a full snapshot of the agent's authorised entries, all bundles and the deny list, then deltas pushed as changes are
/// signalled on the <see cref="ChangeFeed"/>. A burst of changes (a batch create, a CA rotation) is coalesced
/// for <see cref="Coalesce"/> and recomputed once. The caller is re-checked on every change, so a ban or
/// eviction ends its open streams with PermissionDenied within a change cycle.
/// </summary>
internal sealed partial class NodeService
{
    /// <summary>How long a stream waits after a change for more changes to arrive before recomputing.</summary>
    public static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(30);

    public override async Task Sync(SyncRequest request, IServerStreamWriter<SyncResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);

        // A Sync stream never ends by itself, and Kestrel waits for open requests before the host stops: end it
        // when the server is stopping, so SIGTERM shuts down at once and agents reconnect to whoever serves next.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await SyncAsync(responseStream, context, stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "server is shutting down"));
        }
    }

    private async Task SyncAsync(IServerStreamWriter<SyncResponse> responseStream, ServerCallContext context, CancellationToken ct)
    {
        var agent = await AuthenticateAsync("agent.sync", context).ConfigureAwait(false);
        var certificate = AgentAuthenticator.ClientCertificate(context)!;
        var intermediates = context.GetHttpContext().Features.Get<NodeConnectionFeature>()?.PresentedIntermediates ?? [];

        var version = changes.Version;
        var entries = await authorised.GetAsync(agent.SpiffeId, ct).ConfigureAwait(false);
        var bundles = await BundlesAsync(ct).ConfigureAwait(false);
        if (!revocations.IsLoaded)
        {
            // A full message replaces the agent's deny list: never send "nothing revoked" because the list could not
            // be read. If the store is still away this throws, and the agent retries with backoff.
            await revocations.RefreshAsync(ct).ConfigureAwait(false);
        }

        var revoked = revocations.Current.Revocations;
        var full = new SyncResponse { Full = true };
        full.Revocations.AddRange(revoked.Select(RevocationMapping.ToWire));
        full.Entries.AddRange(entries.Values.OrderBy(e => e.Id, StringComparer.Ordinal).Select(NodeMapping.ToWire));
        full.Bundles.AddRange(bundles.Select(b => new NodeBundle { TrustDomain = b.Key, Json = b.Value }));
        var tainted = TaintMapping.ToWire(ca.TaintedAuthorities, options.CaReissueDelay);
        full.Tainted = tainted;
        await responseStream.WriteAsync(full, ct).ConfigureAwait(false);

        while (!ct.IsCancellationRequested)
        {
            await changes.WaitAsync(version, ct).ConfigureAwait(false);
            await Task.Delay(Coalesce, time, ct).ConfigureAwait(false);
            version = changes.Version;

            // Throws PermissionDenied (agent banned, evicted or superseded): the stream ends with that status.
            await authenticator.AuthenticateAsync(certificate, intermediates, ct).ConfigureAwait(false);
            var nextEntries = await authorised.GetAsync(agent.SpiffeId, ct).ConfigureAwait(false);
            var nextBundles = await BundlesAsync(ct).ConfigureAwait(false);
            var delta = Diff(entries, nextEntries);
            if (!SameBundles(bundles, nextBundles))
            {
                delta.Bundles.AddRange(nextBundles.Select(b => new NodeBundle { TrustDomain = b.Key, Json = b.Value }));
            }

            // The registry is refreshed before the change is signalled, so this sees the revocation that woke us.
            var nextRevoked = revocations.Current.Revocations;
            delta.Revocations.AddRange(RevocationMapping.Added(revoked, nextRevoked).Select(RevocationMapping.ToWire));

            // Sent in the same message as the bundle that carries the new key: agents schedule re-issues only
            // once they hold it.
            var nextTainted = TaintMapping.ToWire(ca.TaintedAuthorities, options.CaReissueDelay);
            if (!nextTainted.Equals(tainted))
            {
                delta.Tainted = nextTainted;
            }

            entries = nextEntries;
            bundles = nextBundles;
            revoked = nextRevoked;
            tainted = nextTainted;
            if (delta.Entries.Count > 0 || delta.DeletedEntryIds.Count > 0 || delta.Bundles.Count > 0 || delta.Revocations.Count > 0 || delta.Tainted is not null)
            {
                await responseStream.WriteAsync(delta, ct).ConfigureAwait(false);
            }
        }
    }

    private static SyncResponse Diff(IReadOnlyDictionary<string, RegistrationEntry> before, IReadOnlyDictionary<string, RegistrationEntry> after)
    {
        var delta = new SyncResponse { Full = false };
        foreach (var (id, entry) in after.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!before.TryGetValue(id, out var old) || old.Revision != entry.Revision)
            {
                delta.Entries.Add(NodeMapping.ToWire(entry));
            }
        }

        delta.DeletedEntryIds.AddRange(before.Keys.Where(id => !after.ContainsKey(id)).Order(StringComparer.Ordinal));
        return delta;
    }

    // This trust domain's bundle from the CA, then every federated bundle; keyed and ordered by trust domain.
    private async Task<SortedDictionary<string, string>> BundlesAsync(CancellationToken cancellationToken)
    {
        var bundles = new SortedDictionary<string, string>(StringComparer.Ordinal) { [ca.TrustDomain.Name] = ca.Bundle.ToJson() };
        foreach (var federated in await store.ListBundlesAsync(cancellationToken).ConfigureAwait(false))
        {
            bundles.TryAdd(federated.TrustDomain.Name, federated.Json);
        }

        return bundles;
    }

    private static bool SameBundles(SortedDictionary<string, string> a, SortedDictionary<string, string> b) =>
        a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var json) && string.Equals(json, pair.Value, StringComparison.Ordinal));
}
