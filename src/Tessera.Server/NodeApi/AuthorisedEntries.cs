using System.Collections.Concurrent;
using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.NodeApi;

/// <summary>
/// The entries each agent is authorised for, cached per agent and valid for one <see cref="EntryIndex"/>
/// version: a 10,000-item signing batch looks each entry up in a dictionary, and any change to entries
/// (signalled on the <see cref="ChangeFeed"/>) invalidates every agent's set at once.
/// </summary>
internal sealed class AuthorisedEntries(EntryIndex index)
{
    private readonly ConcurrentDictionary<SpiffeId, (long Version, IReadOnlyDictionary<string, RegistrationEntry> Entries)> _cache = new();

    public async Task<IReadOnlyDictionary<string, RegistrationEntry>> GetAsync(SpiffeId agentId, CancellationToken cancellationToken)
    {
        var snapshot = await index.GetAsync(cancellationToken).ConfigureAwait(false);
        if (_cache.TryGetValue(agentId, out var cached) && cached.Version == snapshot.Version)
        {
            return cached.Entries;
        }

        var entries = snapshot.AuthorisedFor(agentId);
        _cache[agentId] = (snapshot.Version, entries);
        return entries;
    }
}
