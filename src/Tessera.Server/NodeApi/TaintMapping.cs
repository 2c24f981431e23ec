using Tessera.Contracts.Node.V1;
using Tessera.Server.Ca;

namespace Tessera.Server.NodeApi;

/// <summary>The CA's tainted keys as sent to agents on Sync (field 30).</summary>
internal static class TaintMapping
{
    /// <summary>Returns the wire form; the re-issue window equals the delay (documented with <c>ca_reissue_delay</c>).</summary>
    public static NodeTaintedAuthorities ToWire(IReadOnlyList<TaintedAuthority> tainted, TimeSpan reissueDelay)
    {
        ArgumentNullException.ThrowIfNull(tainted);
        var wire = new NodeTaintedAuthorities
        {
            ReissueDelayMs = (long)reissueDelay.TotalMilliseconds,
            ReissueWindowMs = (long)reissueDelay.TotalMilliseconds,
        };
        wire.Authorities.AddRange(tainted.Select(t => new NodeTaintedAuthority
        {
            Kind = t.Kind == CaKeyKind.X509 ? "x509" : "jwt",
            Identifier = t.Identifier,
            TaintedAtUnixMs = t.TaintedAt.ToUnixTimeMilliseconds(),
        }));
        return wire;
    }
}
