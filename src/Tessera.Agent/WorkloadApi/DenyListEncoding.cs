using Tessera.Contracts.Workload.V1;
using Tessera.Spiffe.Revocation;

namespace Tessera.Agent.WorkloadApi;

/// <summary>Writes a <see cref="DenyList"/> as a <c>WatchDenyList</c> message.</summary>
internal static class DenyListEncoding
{
    public static DenyListResponse ToResponse(DenyList list, ulong version)
    {
        var response = new DenyListResponse { Version = version };
        foreach (var (serial, expires) in list.Serials)
        {
            response.Serials.Add(new RevokedSerial { Serial = serial, ExpiresAtUnix = expires.ToUnixTimeSeconds() });
        }

        foreach (var (jti, expires) in list.JwtIds)
        {
            response.JwtIds.Add(new RevokedJwtId { Jti = jti, ExpiresAtUnix = expires.ToUnixTimeSeconds() });
        }

        foreach (var (id, rule) in list.JwtIssuedBefore)
        {
            response.JwtIssuedBefore.Add(new JwtIssuedBefore
            {
                SpiffeId = id.ToString(),
                CutoffUnixMs = rule.Cutoff.ToUnixTimeMilliseconds(),
                UntilUnix = rule.Until.ToUnixTimeSeconds(),
            });
        }

        foreach (var (keyId, expires) in list.Authorities)
        {
            response.Authorities.Add(new RevokedAuthority { KeyId = keyId, ExpiresAtUnix = expires.ToUnixTimeSeconds() });
        }

        return response;
    }
}
