using Tessera.Server.Audit;
using Tessera.Server.Ca;
using Tessera.Server.Ca.Rotation;
using Tessera.Server.Datastore;

namespace Tessera.Server.Revocations;

/// <summary>
/// Under an upstream authority the bundle holds the operator's root, so removing a tainted intermediate from the CA
/// does not stop relying parties trusting it: whoever holds its key could still mint SVIDs that chain to the root.
/// This records an <see cref="RevocationKind.X509Authority"/> revocation of the intermediate (until it expires), with
/// its audit record in the same transaction, so every deny list — the SDK's, <c>tessera proxy</c>'s — refuses every
/// chain through it. A self-signed CA needs none: its removed key simply leaves the bundle.
/// </summary>
internal static class RemovedAuthorityRevocation
{
    /// <summary>Revokes <paramref name="removed"/> when it is an X.509 key under an upstream authority; returns whether it did.</summary>
    public static async Task<bool> RevokeIfUpstreamAsync(CertificateAuthority ca, IAuditLog audit, CaKeyEntry removed, string caller, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(removed);
        if (!ca.HasUpstreamAuthority || removed.Certificate is null)
        {
            return false;
        }

        var keyId = CertificateAuthority.SubjectKeyIdentifier(removed);
        if (keyId.Length == 0)
        {
            return false;
        }

        var record = new Revocation(RevocationKind.X509Authority, keyId, null, removed.NotAfter, reason, caller, now);
        return await audit.WriteAuditedAsync<bool>(async (writer, token) =>
        {
            var added = await writer.AddRevocationsAsync([record], token).ConfigureAwait(false) == 1;
            var target = $"{removed.KeyId} (subject key identifier {keyId}), chains through it refused until {removed.NotAfter:O}";
            return (added, [new AuditEvent(now, caller, "ca.authority.revoke", target, added ? "ok" : "error", added ? reason : $"already revoked; {reason}")]);
        }, cancellationToken).ConfigureAwait(false);
    }
}
