using Grpc.Core;
using Tessera.Contracts.Workload;

namespace Tessera.Agent.WorkloadApi;

/// <summary>
/// Every status the Workload API sends to a caller, in one place. Messages name what was wrong in words a
/// workload's developer can act on and never carry key material, tokens or agent internals.
/// </summary>
internal static class WorkloadApiErrors
{
    /// <summary>The metadata header every Workload API call must carry (SPIFFE Workload API §4.1, an SSRF guard).</summary>
    public const string SecurityHeader = "workload.spiffe.io";

    public const string MissingSecurityHeaderMessage = "security header 'workload.spiffe.io: true' is missing";
    public const string NoIdentityMessage = "no identity issued";
    public const string AudienceRequiredMessage = "audience must be specified";
    public const string SvidRequiredMessage = "svid must be specified";
    public const string NoPeerMessage = "the caller's kernel credentials are unavailable: the Workload API is served only on its Unix socket";
    public const string InternalMessage = "internal error; see the agent log";

    public static RpcException MissingSecurityHeader() => new(new Status(StatusCode.InvalidArgument, MissingSecurityHeaderMessage));

    public static RpcException NoIdentity() => new(new Status(StatusCode.PermissionDenied, NoIdentityMessage));

    public static RpcException NotEntitled(string spiffeId) =>
        new(new Status(StatusCode.PermissionDenied, $"no identity '{spiffeId}' issued to the caller"));

    public static RpcException InvalidSpiffeId(string error) => new(new Status(StatusCode.InvalidArgument, $"spiffe_id is invalid: {error}"));

    public static RpcException AudienceRequired() => new(new Status(StatusCode.InvalidArgument, AudienceRequiredMessage));

    public static RpcException SvidRequired() => new(new Status(StatusCode.InvalidArgument, SvidRequiredMessage));

    /// <summary>A JWT-SVID that failed validation; the validator's message already shortens and strips token values.</summary>
    public static RpcException InvalidJwtSvid(string error, string message) =>
        new(new Status(StatusCode.InvalidArgument, $"invalid JWT-SVID ({error}): {message}"));

    /// <summary>A correctly signed, unexpired JWT-SVID that the server revoked.</summary>
    public static RpcException RevokedJwtSvid(string why) => new(new Status(StatusCode.InvalidArgument, $"invalid JWT-SVID (revoked): {why}"));

    public static RpcException AttestationRefused(string reason) => new(new Status(StatusCode.PermissionDenied, reason));

    public static RpcException NoPeer() => new(new Status(StatusCode.Unauthenticated, NoPeerMessage));

    public static RpcException Internal() => new(new Status(StatusCode.Internal, InternalMessage));

    public static RpcException UnsupportedBinding(string value) =>
        new(new Status(StatusCode.InvalidArgument, $"{JwtBindingMetadata.Header}: '{value}' is not supported; use '{JwtBindingMetadata.X5tS256}'"));

    public static RpcException NoSvidToBind(string spiffeId) =>
        new(new Status(StatusCode.Unavailable, $"no X509-SVID for '{spiffeId}' yet to bind the token to; retry shortly"));
}
