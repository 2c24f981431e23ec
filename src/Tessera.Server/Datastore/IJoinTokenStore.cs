using Tessera.Spiffe.Ids;

namespace Tessera.Server.Datastore;

/// <summary>Single-use join tokens. Methods take the raw token and store only its hash.</summary>
internal interface IJoinTokenStore
{
    /// <summary>Stores the hash of <paramref name="token"/>.</summary>
    Task<JoinToken> CreateJoinTokenAsync(string token, SpiffeId? spiffeId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Atomically consumes the token: returns it the first time it is presented before it expires, null ever after.</summary>
    Task<JoinToken?> ConsumeJoinTokenAsync(string token, CancellationToken cancellationToken);

    /// <summary>Deletes tokens that expired before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneJoinTokensAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
