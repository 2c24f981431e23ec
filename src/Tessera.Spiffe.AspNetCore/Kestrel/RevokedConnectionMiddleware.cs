using Microsoft.AspNetCore.Connections;
using Tessera.Spiffe.AspNetCore.Internal;

namespace Tessera.Spiffe.AspNetCore.Kestrel;

/// <summary>
/// A Kestrel connection middleware placed after a <c>UseSpiffeMtls</c> handshake: tracks each accepted connection
/// with its client certificate and aborts it when the deny list comes to revoke that certificate (event 6106).
/// </summary>
internal static class RevokedConnectionMiddleware
{
    public static Func<ConnectionDelegate, ConnectionDelegate> Create(RevocationWatch watch) => next => async connection =>
    {
        if (connection.Features.Get<SpiffePeerFeature>() is not { Certificate: { } leaf } peer)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        using var tracked = watch.Track(peer.Id, leaf, reason => connection.Abort(new ConnectionAbortedException($"the peer's credential was revoked: {reason}")));
        await next(connection).ConfigureAwait(false);
    };
}
