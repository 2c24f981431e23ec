using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Transport;
using Tessera.Server.Audit;
using Tessera.Server.Datastore;
using Tessera.Server.Revocations;
using Tessera.Spiffe.Ids;
using Revocation = Tessera.Server.Datastore.Revocation;

namespace Tessera.Server.AdminApi;

/// <summary>
/// Revocation: X509-SVIDs by serial or identity, JWT-SVIDs by <c>jti</c> or identity ("issued before now"). Each call
/// writes its records and one audit record per revoked credential in one transaction, then republishes the CRL and
/// pushes the change to every agent.
/// </summary>
internal sealed partial class AdminService
{
    public const string ReasonRequired = "reason is required: say why the credential is revoked (it is kept with the revocation and in the audit log)";

    public override async Task<RevokeResponse> RevokeX509Svids(RevokeX509SvidsRequest request, ServerCallContext context)
    {
        const string action = "svid.x509.revoke";
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var reason = await RequireReasonAsync(caller, action, request.Reason, ct).ConfigureAwait(false);
        if ((request.Serial.Length > 0) == (request.SpiffeId.Length > 0))
        {
            await RefuseAsync(caller, action, "svid", "exactly one of serial and spiffe_id is required", ct).ConfigureAwait(false);
        }

        string? serial = null;
        SpiffeId? identity = null;
        if (request.Serial.Length > 0 && !SerialNumbers.TryNormalize(request.Serial, out serial))
        {
            await RefuseAsync(caller, action, "svid", "serial: not a hex serial number (at most 20 bytes)", ct).ConfigureAwait(false);
        }

        if (request.SpiffeId.Length > 0)
        {
            identity = await SpiffeIdAsync(caller, action, request.SpiffeId, ct).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var (added, refusal) = await audit.WriteAuditedAsync<(List<Revocation>, string?)>(async (writer, token) =>
        {
            IReadOnlyList<IssuedSvid> targets;
            if (serial is not null)
            {
                var issued = await writer.GetIssuedSvidAsync(serial, token).ConfigureAwait(false);
                if (issued is null || issued.ExpiresAt <= now)
                {
                    var problem = issued is null ? $"no issued X509-SVID with serial {serial}" : $"X509-SVID {serial} already expired at {issued.ExpiresAt:O}";
                    return (([], problem), [Event(caller, action, $"serial {serial}", "error", problem)]);
                }

                targets = [issued];
            }
            else
            {
                targets = await writer.ListCurrentIssuedSvidsAsync(identity, null, now, token).ConfigureAwait(false);
                if (targets.Count == 0)
                {
                    var problem = $"no current X509-SVID of {identity}";
                    return (([], problem), [Event(caller, action, identity!.Value.ToString(), "error", problem)]);
                }
            }

            var revoked = await RevokeAsync(writer, caller, action, reason, now, targets, token).ConfigureAwait(false);
            return ((revoked.Records, null), revoked.Events);
        }, ct).ConfigureAwait(false);
        if (refusal is not null)
        {
            throw new RpcException(new Status(StatusCode.NotFound, refusal));
        }

        return await PublishAsync(added, ct).ConfigureAwait(false);
    }

    public override async Task<RevokeResponse> RevokeJwtSvids(RevokeJwtSvidsRequest request, ServerCallContext context)
    {
        const string action = "svid.jwt.revoke";
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var reason = await RequireReasonAsync(caller, action, request.Reason, ct).ConfigureAwait(false);
        if ((request.Jti.Length > 0) == (request.SpiffeId.Length > 0))
        {
            await RefuseAsync(caller, action, "jwt", "exactly one of jti and spiffe_id is required", ct).ConfigureAwait(false);
        }

        var now = time.GetUtcNow();
        var latestPossibleExpiry = LatestPossibleJwtExpiry(now);
        Revocation record;
        if (request.Jti.Length > 0)
        {
            if (request.Jti.Length > 256 || request.Jti.Any(char.IsControl))
            {
                await RefuseAsync(caller, action, "jwt", "jti: at most 256 printable characters", ct).ConfigureAwait(false);
            }

            var expires = request.ExpiresAtUnix == 0 ? latestPossibleExpiry : DateTimeOffset.FromUnixTimeSeconds(request.ExpiresAtUnix);
            if (expires <= now)
            {
                await RefuseAsync(caller, action, $"jti {request.Jti}", "expires_at is in the past: the token has already expired", ct).ConfigureAwait(false);
            }

            record = new Revocation(RevocationKind.JwtId, request.Jti, null, expires, reason, caller.Describe(), now);
        }
        else
        {
            var identity = await SpiffeIdAsync(caller, action, request.SpiffeId, ct).ConfigureAwait(false);
            record = new Revocation(RevocationKind.JwtIssuedBefore, identity.ToString(), identity, latestPossibleExpiry, reason, caller.Describe(), now);
        }

        var added = await audit.WriteAuditedAsync<List<Revocation>>(async (writer, token) =>
        {
            var isNew = await writer.AddRevocationsAsync([record], token).ConfigureAwait(false) == 1;
            var target = record.Kind == RevocationKind.JwtId ? $"jti {record.Value}" : $"{record.Value} tokens issued before {now:O}";
            return (isNew ? [record] : [], [Event(caller, action, target, isNew ? "ok" : "error", isNew ? reason : $"already revoked; {reason}")]);
        }, ct).ConfigureAwait(false);
        return await PublishAsync(added, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>entry delete --revoke</c>: deletes the entry and revokes what was issued for its SPIFFE ID — every current
    /// X509-SVID and every JWT-SVID issued so far — in one transaction, then publishes like a revoke call. Other
    /// entries of the same SPIFFE ID keep working: their agents re-issue the revoked SVIDs as after any revocation.
    /// </summary>
    private async Task<DeleteEntryResponse> DeleteEntryAndRevokeAsync(PeerCredentials caller, DeleteEntryRequest request, CancellationToken ct)
    {
        const string action = "entry.delete";
        var reason = await RequireReasonAsync(caller, action, request.Reason, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var jwtExpiry = LatestPossibleJwtExpiry(now);
        var (deleted, added) = await audit.WriteAuditedAsync<(bool, List<Revocation>)>(async (writer, token) =>
        {
            var entry = await writer.GetEntryAsync(request.Id, token).ConfigureAwait(false);
            if (entry is null || !await writer.DeleteEntryAsync(request.Id, token).ConfigureAwait(false))
            {
                return ((false, []), [Event(caller, action, request.Id, "error", "no such entry")]);
            }

            var targets = await writer.ListCurrentIssuedSvidsAsync(entry.SpiffeId, null, now, token).ConfigureAwait(false);
            var revoked = await RevokeAsync(writer, caller, "svid.x509.revoke", reason, now, targets, token).ConfigureAwait(false);
            var jwt = new Revocation(RevocationKind.JwtIssuedBefore, entry.SpiffeId.ToString(), entry.SpiffeId, jwtExpiry, reason, caller.Describe(), now);
            var jwtAdded = await writer.AddRevocationsAsync([jwt], token).ConfigureAwait(false) == 1;
            List<AuditEvent> events =
            [
                Event(caller, action, $"{request.Id} ({entry.SpiffeId}), revoking what was issued for it", "ok", reason),
                .. revoked.Events,
                Event(caller, "svid.jwt.revoke", $"{entry.SpiffeId} tokens issued before {now:O}", jwtAdded ? "ok" : "error", jwtAdded ? reason : $"already revoked; {reason}"),
            ];
            return ((true, jwtAdded ? [.. revoked.Records, jwt] : revoked.Records), events);
        }, ct).ConfigureAwait(false);
        if (!deleted)
        {
            throw NotFound(request.Id);
        }

        changes.Signal();
        var response = new DeleteEntryResponse();
        response.Revocations.AddRange((await PublishAsync(added, ct).ConfigureAwait(false)).Revocations);
        return response;
    }

    // No JWT-SVID outlives the JWT key that signed it (the CA clamps expiry to the key's end of life), so the latest
    // end of life among the keys is a safe bound for a token whose own expiry is unknown.
    private DateTimeOffset LatestPossibleJwtExpiry(DateTimeOffset now) =>
        ca.JwtKeys.Count == 0 ? now + options.JwtSvidTtl : ca.JwtKeys.Max(k => k.NotAfter);

    public override async Task<ListRevocationsResponse> ListRevocations(ListRevocationsRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var revocations = await store.ListRevocationsAsync(time.GetUtcNow(), context.CancellationToken).ConfigureAwait(false);
        await RecordAsync(caller, "revocation.list", "revocations", context.CancellationToken).ConfigureAwait(false);
        var response = new ListRevocationsResponse();
        response.Revocations.AddRange(revocations.Select(ToWire));
        return response;
    }

    /// <summary>Revokes every SVID in <paramref name="targets"/> inside the caller's transaction; one audit event per newly revoked SVID.</summary>
    private async Task<(List<Revocation> Records, List<AuditEvent> Events)> RevokeAsync(
        IDataStoreWriter writer, PeerCredentials caller, string action, string reason, DateTimeOffset now, IEnumerable<IssuedSvid> targets, CancellationToken ct)
    {
        var records = new List<Revocation>();
        var events = new List<AuditEvent>();
        foreach (var svid in targets)
        {
            var record = new Revocation(RevocationKind.X509Serial, svid.Serial, svid.SpiffeId, svid.ExpiresAt, reason, caller.Describe(), now);
            if (await writer.AddRevocationsAsync([record], ct).ConfigureAwait(false) == 1)
            {
                records.Add(record);
                events.Add(Event(caller, action, $"serial {svid.Serial} ({svid.SpiffeId})", "ok", reason));
            }
        }

        return (records, events);
    }

    // Committed: republish the CRL and push to agents before answering, so "revoked" means "being enforced".
    private async Task<RevokeResponse> PublishAsync(List<Revocation> added, CancellationToken ct)
    {
        if (added.Count > 0)
        {
            await revocations.RefreshAsync(ct).ConfigureAwait(false);
            changes.Signal();
        }

        var response = new RevokeResponse();
        response.Revocations.AddRange(added.Select(ToWire));
        return response;
    }

    private async Task<string> RequireReasonAsync(PeerCredentials caller, string action, string reason, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            await RefuseAsync(caller, action, "revocation", ReasonRequired, ct).ConfigureAwait(false);
        }

        return reason.Length > 1024 || reason.Any(char.IsControl)
            ? throw new RpcException(new Status(StatusCode.InvalidArgument, "reason: at most 1024 printable characters"))
            : reason.Trim();
    }

    private async Task<SpiffeId> SpiffeIdAsync(PeerCredentials caller, string action, string text, CancellationToken ct)
    {
        if (!SpiffeId.TryParse(text, out var id, out var error))
        {
            await RefuseAsync(caller, action, "revocation", $"spiffe_id: {error}", ct).ConfigureAwait(false);
        }

        return id;
    }

    private static Contracts.Admin.V1.Revocation ToWire(Revocation r) => new()
    {
        Kind = RevocationKinds.ToText(r.Kind),
        Value = r.Value,
        SpiffeId = r.SpiffeId?.ToString() ?? string.Empty,
        ExpiresAtUnix = r.ExpiresAt.ToUnixTimeSeconds(),
        Reason = r.Reason,
        RevokedBy = r.RevokedBy,
        RevokedAtUnixMs = r.RevokedAt.ToUnixTimeMilliseconds(),
    };
}
