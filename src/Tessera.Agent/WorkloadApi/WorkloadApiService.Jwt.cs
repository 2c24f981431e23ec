using System.Formats.Asn1;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Contracts.Workload;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;

namespace Tessera.Agent.WorkloadApi;

/// <summary>FetchJWTSVID, FetchJWTBundles and ValidateJWTSVID.</summary>
internal sealed partial class WorkloadApiService
{
    /// <summary>Clock skew allowed when validating a JWT-SVID's times (go-jose's default, which go-spiffe inherits).</summary>
    private static readonly TimeSpan JwtLeeway = TimeSpan.FromMinutes(1);

    public override async Task<JWTSVIDResponse> FetchJWTSVID(JWTSVIDRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Audience.Count == 0 || request.Audience.Any(string.IsNullOrEmpty))
        {
            throw WorkloadApiErrors.AudienceRequired();
        }

        SpiffeId? wanted = null;
        if (request.SpiffeId.Length > 0)
        {
            wanted = SpiffeId.TryParse(request.SpiffeId, out var id, out var error) ? id : throw WorkloadApiErrors.InvalidSpiffeId(error);
        }

        var caller = await callers.AttestAsync(context, FetchJwtSvidAction).ConfigureAwait(false);
        var snapshot = await SyncedSnapshotAsync(context.CancellationToken).ConfigureAwait(false);
        var entries = snapshot.Match(caller.Selectors);
        if (entries.Count == 0)
        {
            callers.ReportNoIdentity(caller, FetchJwtSvidAction);
            throw WorkloadApiErrors.NoIdentity();
        }

        if (wanted is { } only)
        {
            entries = [.. entries.Where(e => e.SpiffeId == only)];
            if (entries.Count == 0)
            {
                callers.ReportNoIdentity(caller, FetchJwtSvidAction);
                throw WorkloadApiErrors.NotEntitled(only.ToString());
            }
        }

        var bind = BindingRequested(context);
        var response = new JWTSVIDResponse();
        foreach (var entry in entries)
        {
            byte[]? leaf = null;
            if (bind)
            {
                leaf = snapshot.Svids.TryGetValue(entry.Id, out var svid) ? Leaf(svid.ChainDer) : throw WorkloadApiErrors.NoSvidToBind(entry.SpiffeId.ToString());
            }

            var token = await minter.MintAsync(entry, [.. request.Audience], leaf, context.CancellationToken).ConfigureAwait(false);
            response.Svids.Add(new JWTSVID { SpiffeId = entry.SpiffeId.ToString(), Svid = token, Hint = entry.Hint });
        }

        return response;
    }

    private static bool BindingRequested(ServerCallContext context)
    {
        var value = context.RequestHeaders.GetValue(JwtBindingMetadata.Header);
        return value switch
        {
            null => false,
            JwtBindingMetadata.X5tS256 => true,
            _ => throw WorkloadApiErrors.UnsupportedBinding(value.Length > 40 ? value[..40] + "…" : value),
        };
    }

    // The leaf is the first DER element of the chain the server returned.
    private static byte[] Leaf(byte[] chainDer)
    {
        AsnDecoder.ReadEncodedValue(chainDer, AsnEncodingRules.DER, out _, out _, out var consumed);
        return chainDer[..consumed];
    }

    public override async Task FetchJWTBundles(JWTBundlesRequest request, IServerStreamWriter<JWTBundlesResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = await callers.AttestAsync(context, FetchJwtBundlesAction).ConfigureAwait(false);
        await StreamAsync(
            snapshot =>
            {
                if (snapshot.Bundles.IsEmpty)
                {
                    return null;
                }

                var response = new JWTBundlesResponse();
                foreach (var (trustDomain, bundle) in CallerBundles.For(snapshot, snapshot.Match(caller.Selectors)))
                {
                    response.Bundles.Add(BundleEncoding.Key(trustDomain), BundleEncoding.Jwks(bundle));
                }

                return response;
            },
            responseStream,
            context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task<ValidateJWTSVIDResponse> ValidateJWTSVID(ValidateJWTSVIDRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (request.Audience.Length == 0)
        {
            throw WorkloadApiErrors.AudienceRequired();
        }

        if (request.Svid.Length == 0)
        {
            throw WorkloadApiErrors.SvidRequired();
        }

        var snapshot = await SyncedSnapshotAsync(context.CancellationToken).ConfigureAwait(false);
        var result = JwtSvidValidator.Validate(request.Svid, new BundleSet(snapshot.Bundles.Values), request.Audience, time, JwtLeeway);
        if (!result.IsValid)
        {
            var refusal = WorkloadApiErrors.InvalidJwtSvid(result.Error.ToString(), result.Message);
            callers.ReportRejectedToken(context, ValidateJwtSvidAction, refusal.Status.Detail);
            throw refusal;
        }

        // Signed, unexpired and for this audience, yet the server may have revoked it: the deny list has the last word.
        if (snapshot.Revoked.CheckJwt(result.Svid.Id, result.Svid.JwtId, result.Svid.IssuedAt) is { } revoked)
        {
            var refusal = WorkloadApiErrors.RevokedJwtSvid(revoked);
            callers.ReportRejectedToken(context, ValidateJwtSvidAction, refusal.Status.Detail);
            throw refusal;
        }

        return new ValidateJWTSVIDResponse
        {
            SpiffeId = result.Svid.Id.ToString(),
            Claims = Struct.Parser.ParseJson(result.Svid.Claims.GetRawText()),
        };
    }
}
