using Grpc.Core;
using Tessera.Contracts.Workload.V1;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Revocation;

namespace Tessera.Spiffe.WorkloadApi.Internal;

/// <summary>Turns a <c>WatchDenyList</c> message into a <see cref="DenyListUpdate"/>.</summary>
internal static class DenyListReader
{
    /// <summary>The status detail of the error raised when the agent does not implement <c>TesseraWorkload</c>.</summary>
    public static string NotServed(string socketPath) =>
        $"the agent at {socketPath} does not serve Tessera's deny list (tessera.workload.v1.TesseraWorkload/WatchDenyList is unimplemented): it is not a Tessera agent, or one older than the deny-list stream";

    /// <exception cref="WorkloadApiException">A record is malformed (the whole message is refused, the last good list stays).</exception>
    public static DenyListUpdate Read(DenyListResponse response)
    {
        var list = DenyList.Empty;
        foreach (var serial in response.Serials)
        {
            list = list.WithSerial(Require(serial.Serial, "serial"), DateTimeOffset.FromUnixTimeSeconds(serial.ExpiresAtUnix));
        }

        foreach (var jti in response.JwtIds)
        {
            list = list.WithJwtId(Require(jti.Jti, "jti"), DateTimeOffset.FromUnixTimeSeconds(jti.ExpiresAtUnix));
        }

        foreach (var rule in response.JwtIssuedBefore)
        {
            if (!SpiffeId.TryParse(rule.SpiffeId, out var id, out var error))
            {
                throw new WorkloadApiException(StatusCode.Internal, $"malformed deny list from the Workload API: jwt_issued_before spiffe_id is invalid: {error}");
            }

            list = list.WithJwtIssuedBefore(id, DateTimeOffset.FromUnixTimeMilliseconds(rule.CutoffUnixMs), DateTimeOffset.FromUnixTimeSeconds(rule.UntilUnix));
        }

        foreach (var authority in response.Authorities)
        {
            list = list.WithAuthority(Require(authority.KeyId, "key_id"), DateTimeOffset.FromUnixTimeSeconds(authority.ExpiresAtUnix));
        }

        return new DenyListUpdate(response.Version, list);
    }

    private static string Require(string value, string field) =>
        string.IsNullOrEmpty(value)
            ? throw new WorkloadApiException(StatusCode.Internal, $"malformed deny list from the Workload API: a record has an empty {field}")
            : value;
}
