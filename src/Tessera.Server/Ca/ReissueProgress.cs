using Tessera.Server.Configuration;
using Tessera.Server.Datastore;

namespace Tessera.Server.Ca;

/// <summary>
/// How far re-issuance after a taint has got. X.509: the SVIDs signed by the tainted CA whose holder has not had one
/// from another CA since (from the issued-SVID records, which carry each SVID's signing CA). JWT: tokens are not
/// recorded, so a tainted JWT key is done once the longest JWT-SVID it could have signed (<c>jwt_svid_ttl</c>) has
/// expired; the agents' token caches drop its tokens at once, so workloads re-fetch from the new key well before.
/// </summary>
internal sealed class ReissueProgress(ISvidRecordStore store, ServerOptions options)
{
    /// <summary>Returns what is still pending for <paramref name="tainted"/>: SVIDs to re-issue (X.509) or whole seconds until the last token expires (JWT); 0 means complete.</summary>
    public async Task<long> PendingAsync(TaintedAuthority tainted, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tainted);
        if (tainted.Kind == CaKeyKind.Jwt)
        {
            var left = tainted.TaintedAt + options.JwtSvidTtl - now;
            return left > TimeSpan.Zero ? (long)Math.Ceiling(left.TotalSeconds) : 0;
        }

        return await store.CountPendingReissueAsync(tainted.Identifier, tainted.TaintedAt, now, cancellationToken).ConfigureAwait(false);
    }
}
