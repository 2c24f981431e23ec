using Tessera.Contracts.Node.V1;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;

namespace Tessera.Agent.Sync;

/// <summary>Adds wire revocations to a <see cref="DenyList"/>, skipping (and reporting) malformed ones.</summary>
internal static class NodeRevocationApplier
{
    public static DenyList Apply(DenyList list, IEnumerable<NodeRevocation> revocations, List<string> problems)
    {
        var serials = list.Serials.ToBuilder();
        var jwtIds = list.JwtIds.ToBuilder();
        var before = list.JwtIssuedBefore.ToBuilder();
        var authorities = list.Authorities.ToBuilder();
        foreach (var r in revocations)
        {
            var expires = DateTimeOffset.FromUnixTimeSeconds(r.ExpiresAtUnix);
            switch (r.Kind)
            {
                case "x509" when r.Value.Length > 0:
                    serials[r.Value.ToUpperInvariant()] = expires;
                    break;
                case "jwt" when r.Value.Length > 0:
                    jwtIds[r.Value] = expires;
                    break;
                case "jwt_before" when SpiffeId.TryParse(r.Value, out var id, out _):
                    var cutoff = DateTimeOffset.FromUnixTimeMilliseconds(r.RevokedAtUnixMs);
                    // Cutoffs only move forward: an older record arriving late must not shorten a newer one.
                    if (!before.TryGetValue(id, out var existing) || existing.Cutoff < cutoff)
                    {
                        before[id] = new JwtCutoff(cutoff, expires);
                    }

                    break;
                case "x509_authority" when r.Value.Length > 0:
                    authorities[r.Value.ToUpperInvariant()] = expires;
                    break;
                default:
                    problems.Add($"revocation of kind '{r.Kind}'");
                    break;
            }
        }

        return list with
        {
            Serials = serials.ToImmutable(),
            JwtIds = jwtIds.ToImmutable(),
            JwtIssuedBefore = before.ToImmutable(),
            Authorities = authorities.ToImmutable(),
        };
    }
}
