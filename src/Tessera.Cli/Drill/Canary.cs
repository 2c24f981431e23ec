using Tessera.Contracts.Admin.V1;
using Tessera.Spiffe.Ids;

namespace Tessera.Cli.Drill;

/// <summary>
/// The canary identities of one drill run: <c>spiffe://TD/tessera-drill/RUN/client</c> (the credential that is
/// revoked) and <c>…/server</c> (what the drill's proxy presents), parented to the agent, matching this process,
/// owned by <c>tessera-drill</c>, and expiring after an hour even if the drill is killed before it cleans up.
/// </summary>
internal sealed class Canary(DrillAdmin admin, TrustDomain trustDomain, string runId, SpiffeId parent, IReadOnlyList<Selector> selectors, TimeProvider time)
{
    public const string Owner = "tessera-drill";

    /// <summary>The X509-SVID TTL: long enough that no rotation happens during a drill, short enough not to linger.</summary>
    public static readonly TimeSpan X509Ttl = TimeSpan.FromMinutes(10);

    public static readonly TimeSpan JwtTtl = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan EntryLifetime = TimeSpan.FromHours(1);

    public SpiffeId ClientId { get; } = SpiffeId.Parse($"spiffe://{trustDomain}/tessera-drill/{runId}/client");

    public SpiffeId ServerId { get; } = SpiffeId.Parse($"spiffe://{trustDomain}/tessera-drill/{runId}/server");

    /// <summary>Gets the client entry's id, or null while it does not exist (before creation, after entry-delete).</summary>
    public string? ClientEntryId { get; private set; }

    public string? ServerEntryId { get; private set; }

    public async Task CreateServerAsync(CancellationToken cancellationToken) =>
        ServerEntryId = (await admin.CreateEntryAsync(Entry(ServerId, "the drill's proxy presents it"), cancellationToken)).Id;

    public async Task CreateClientAsync(CancellationToken cancellationToken) =>
        ClientEntryId = (await admin.CreateEntryAsync(Entry(ClientId, "the credential the drill revokes"), cancellationToken)).Id;

    /// <summary>Records that the client entry was deleted (by the entry-delete kind).</summary>
    public void ClientDeleted() => ClientEntryId = null;

    /// <summary>Deletes whichever canary entries exist; returns the ids deleted.</summary>
    public async Task<IReadOnlyList<string>> DeleteAllAsync(CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        foreach (var id in new[] { ClientEntryId, ServerEntryId }.OfType<string>())
        {
            if (await admin.DeleteEntryAsync(id, cancellationToken))
            {
                deleted.Add(id);
            }
        }

        ClientEntryId = null;
        ServerEntryId = null;
        return deleted;
    }

    private Entry Entry(SpiffeId id, string role)
    {
        var entry = new Entry
        {
            SpiffeId = id.ToString(),
            ParentId = parent.ToString(),
            X509SvidTtlSeconds = (int)X509Ttl.TotalSeconds,
            JwtSvidTtlSeconds = (int)JwtTtl.TotalSeconds,
            Owner = Owner,
            Purpose = $"tessera drill revocation {runId}: canary ({role}); deleted when the drill ends",
            ExpiresAtUnix = (time.GetUtcNow() + EntryLifetime).ToUnixTimeSeconds(),
        };
        entry.Selectors.Add(selectors);
        return entry;
    }
}
