using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Transport;
using Tessera.Server.Ca;
using Tessera.Server.Ca.Rotation;
using Tessera.Server.Revocations;

namespace Tessera.Server.AdminApi;

/// <summary>
/// Emergency CA rotation (issue 7): show the keys, rotate at once, taint a key, remove a key before its time. Every
/// change and every refusal is an audit record carrying the caller and the reason. The CA's state lives in its
/// journal (not in the datastore's transaction), so the audit record is appended right after the change is
/// journaled; the new bundle and the tainted set are then pushed to every agent and the CRLs re-signed.
/// </summary>
internal sealed partial class AdminService
{
    public const string CaReasonRequired = "reason is required: say why the key is rotated, tainted or removed (it is kept in the audit log)";

    public override async Task<GetCaKeysResponse> GetCaKeys(GetCaKeysRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var progress = new ReissueProgress(store, options);
        var now = time.GetUtcNow();
        var tainted = ca.TaintedAuthorities.ToDictionary(t => t.KeyId, StringComparer.Ordinal);
        var response = new GetCaKeysResponse { BundleSequence = ca.Bundle.Sequence ?? 0 };
        foreach (var (kind, entry) in ca.X509Keys.Select(k => ("x509", k)).Concat(ca.JwtKeys.Select(k => ("jwt", k))))
        {
            response.Keys.Add(new CaKey
            {
                Kind = kind,
                KeyId = entry.KeyId,
                Status = entry.Status.ToString().ToLowerInvariant(),
                Tainted = entry.IsTainted,
                TaintedAtUnix = entry.TaintedAt?.ToUnixTimeSeconds() ?? 0,
                NotBeforeUnix = entry.NotBefore.ToUnixTimeSeconds(),
                NotAfterUnix = entry.NotAfter.ToUnixTimeSeconds(),
                Pending = tainted.TryGetValue(entry.KeyId, out var t) ? await progress.PendingAsync(t, now, ct).ConfigureAwait(false) : 0,
                SubjectKeyId = entry.Certificate is null ? string.Empty : CertificateAuthority.SubjectKeyIdentifier(entry),
            });
        }

        await RecordAsync(caller, "ca.show", "ca keys", ct).ConfigureAwait(false);
        return response;
    }

    public override async Task<CaChangeResponse> RotateCa(RotateCaRequest request, ServerCallContext context)
    {
        const string action = "ca.rotate";
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var reason = await RequireCaReasonAsync(caller, action, request.Reason, ct).ConfigureAwait(false);
        CaKeyKind[] kinds = request.Kind switch
        {
            "" or "all" => [CaKeyKind.X509, CaKeyKind.Jwt],
            "x509" => [CaKeyKind.X509],
            "jwt" => [CaKeyKind.Jwt],
            _ => await RefuseCaAsync<CaKeyKind[]>(caller, action, $"kind: '{request.Kind}' is not one of x509, jwt, all", ct).ConfigureAwait(false),
        };
        if (!request.Now)
        {
            await RefuseCaAsync<bool>(caller, action, "only an emergency rotation can be requested (--now): it activates a new key at once and taints the current one; scheduled rotation needs no command", ct).ConfigureAwait(false);
        }

        var response = new CaChangeResponse();
        foreach (var kind in kinds)
        {
            var (tainted, activated) = await ca.RotateNowAsync(kind, ct).ConfigureAwait(false);
            response.Tainted.Add(tainted);
            response.Activated.Add(activated);
            await RecordAsync(caller, action, $"{tainted} tainted, {activated} active", ct, "ok", reason).ConfigureAwait(false);
        }

        return await PublishCaChangeAsync(response, ct).ConfigureAwait(false);
    }

    public override async Task<CaChangeResponse> TaintCaKey(TaintCaKeyRequest request, ServerCallContext context)
    {
        const string action = "ca.taint";
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var reason = await RequireCaReasonAsync(caller, action, request.Reason, ct).ConfigureAwait(false);
        await RequireKeyAsync(caller, action, request.KeyId, ct).ConfigureAwait(false);
        var response = new CaChangeResponse();
        try
        {
            var activated = await ca.TaintAsync(request.KeyId, ct).ConfigureAwait(false);
            response.Tainted.Add(request.KeyId);
            if (activated is not null)
            {
                response.Activated.Add(activated);
            }

            await RecordAsync(caller, action, activated is null ? request.KeyId : $"{request.KeyId} tainted, {activated} active", ct, "ok", reason).ConfigureAwait(false);
            if (request.RemoveNow && ca.X509Keys.Concat(ca.JwtKeys).Any(k => k.KeyId == request.KeyId))
            {
                var removed = await ca.RemoveAsync(request.KeyId, ct).ConfigureAwait(false);
                response.Removed.Add(request.KeyId);
                await RecordAsync(caller, "ca.key.remove", request.KeyId, ct, "ok", reason).ConfigureAwait(false);
                await RemovedAuthorityRevocation.RevokeIfUpstreamAsync(ca, audit, removed, caller.Describe(), reason, time.GetUtcNow(), ct).ConfigureAwait(false);
            }
        }
        catch (CaKeyOperationException ex)
        {
            await RecordAsync(caller, action, request.KeyId, ct, "denied", ex.Message).ConfigureAwait(false);
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }

        return await PublishCaChangeAsync(response, ct).ConfigureAwait(false);
    }

    public override async Task<CaChangeResponse> RemoveCaKey(RemoveCaKeyRequest request, ServerCallContext context)
    {
        const string action = "ca.key.remove";
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var reason = await RequireCaReasonAsync(caller, action, request.Reason, ct).ConfigureAwait(false);
        if (!request.Force)
        {
            await RefuseCaAsync<bool>(caller, action, "force is required: removing a key from the bundle at once fails every SVID it signed that has not been re-issued yet", ct).ConfigureAwait(false);
        }

        await RequireKeyAsync(caller, action, request.KeyId, ct).ConfigureAwait(false);
        CaKeyEntry removed;
        try
        {
            removed = await ca.RemoveAsync(request.KeyId, ct).ConfigureAwait(false);
        }
        catch (CaKeyOperationException ex)
        {
            await RecordAsync(caller, action, request.KeyId, ct, "denied", ex.Message).ConfigureAwait(false);
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }

        await RecordAsync(caller, action, request.KeyId, ct, "ok", reason).ConfigureAwait(false);
        await RemovedAuthorityRevocation.RevokeIfUpstreamAsync(ca, audit, removed, caller.Describe(), reason, time.GetUtcNow(), ct).ConfigureAwait(false);
        var response = new CaChangeResponse();
        response.Removed.Add(request.KeyId);
        return await PublishCaChangeAsync(response, ct).ConfigureAwait(false);
    }

    private async Task<CaChangeResponse> PublishCaChangeAsync(CaChangeResponse response, CancellationToken ct)
    {
        // The CRLs follow the bundle (signed by the new active key and every old one still published), and agents
        // get the bundle with the tainted set in one Sync message.
        await revocations.RefreshAsync(ct).ConfigureAwait(false);
        changes.Signal();
        response.BundleSequence = ca.Bundle.Sequence ?? 0;
        return response;
    }

    private async Task RequireKeyAsync(PeerCredentials caller, string action, string keyId, CancellationToken ct)
    {
        if (!ca.X509Keys.Concat(ca.JwtKeys).Any(k => k.KeyId == keyId))
        {
            var message = $"no CA key '{keyId}'; `tessera ca show` lists them";
            await RecordAsync(caller, action, keyId, ct, "denied", message).ConfigureAwait(false);
            throw new RpcException(new Status(StatusCode.NotFound, message));
        }
    }

    private async Task<string> RequireCaReasonAsync(PeerCredentials caller, string action, string reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            await RefuseCaAsync<bool>(caller, action, CaReasonRequired, ct).ConfigureAwait(false);
        }

        return reason.Length > 1024 || reason.Any(char.IsControl)
            ? await RefuseCaAsync<string>(caller, action, "reason: at most 1024 printable characters", ct).ConfigureAwait(false)
            : reason.Trim();
    }

    private async Task<T> RefuseCaAsync<T>(PeerCredentials caller, string action, string message, CancellationToken ct)
    {
        await RecordAsync(caller, action, "ca", ct, "denied", message).ConfigureAwait(false);
        throw new RpcException(new Status(StatusCode.InvalidArgument, message));
    }
}
