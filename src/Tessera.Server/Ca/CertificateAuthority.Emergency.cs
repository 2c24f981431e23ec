using System.Security.Cryptography.X509Certificates;
using Tessera.Server.Ca.Internal;
using Tessera.Server.Ca.Journal;
using Tessera.Server.Ca.Rotation;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Ca;

/// <summary>Emergency rotation: rotate at once, taint a key, remove a key before its time (issue 7).</summary>
internal sealed partial class CertificateAuthority
{
    /// <summary>Gets the tainted keys still in the bundle, both kinds, with the identifier agents match SVIDs against.</summary>
    public IReadOnlyList<TaintedAuthority> TaintedAuthorities =>
        [.. _x509.Where(k => k.IsTainted).Select(k => new TaintedAuthority(CaKeyKind.X509, k.KeyId, SubjectKeyIdentifier(k), k.TaintedAt!.Value)),
         .. _jwt.Where(k => k.IsTainted).Select(k => new TaintedAuthority(CaKeyKind.Jwt, k.KeyId, k.KeyId, k.TaintedAt!.Value))];

    /// <summary>Returns the kind of <paramref name="keyId"/> from its prefix, or null when it names no CA key.</summary>
    public static CaKeyKind? KindOf(string keyId) =>
        keyId.StartsWith(X509Prefix, StringComparison.Ordinal) ? CaKeyKind.X509 : keyId.StartsWith(JwtPrefix, StringComparison.Ordinal) ? CaKeyKind.Jwt : null;

    /// <summary>Returns the upper-case hex subject key identifier of an X.509 CA key (what its SVIDs carry as authority key identifier).</summary>
    public static string SubjectKeyIdentifier(CaKeyEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var certificate = X509CertificateLoader.LoadCertificate(entry.Certificate ?? throw new ArgumentException("not an X.509 key", nameof(entry)));
        return SubjectKeyIdentifier(certificate);
    }

    /// <summary>Returns the subject key identifier of a CA certificate (upper-case hex), or empty when it has none.</summary>
    public static string SubjectKeyIdentifier(X509Certificate2 ca) => KeyIdentifiers.Subject(ca) ?? string.Empty;

    /// <summary>Returns the upper-case hex authority key identifier of an SVID (its signing CA's subject key identifier), or empty.</summary>
    public static string AuthorityKeyIdentifier(X509Certificate2 leaf) => KeyIdentifiers.Authority(leaf) ?? string.Empty;

    /// <summary>
    /// Activates a new key of <paramref name="kind"/> at once (the prepared one when it is usable, else a new one)
    /// and taints the key that was active. The bundle (with both) is published at once. Returns (tainted, activated).
    /// </summary>
    public async Task<(string Tainted, string Activated)> RotateNowAsync(CaKeyKind kind, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RotateNowLockedAsync(kind, Now(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Taints <paramref name="keyId"/>; when it is the active key, a new key is activated first (as
    /// <see cref="RotateNowAsync"/>). Returns the key activated, or null when none had to be.
    /// </summary>
    /// <exception cref="CaKeyOperationException">The key is unknown or already tainted.</exception>
    public async Task<string?> TaintAsync(string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        var kind = KindOf(keyId) ?? throw new CaKeyOperationException($"no CA key '{keyId}'");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keys = kind == CaKeyKind.X509 ? _x509 : _jwt;
            var now = Now();
            if (keys.FirstOrDefault(k => k.KeyId == keyId) is { Status: KeyStatus.Active, IsTainted: false })
            {
                return (await RotateNowLockedAsync(kind, now, cancellationToken).ConfigureAwait(false)).Activated;
            }

            var next = EmergencyRotation.Taint(keys, keyId, now);
            var removed = next.Any(k => k.KeyId == keyId) ? [] : new List<string> { keyId };
            await CommitAsync(kind, next, removed, cancellationToken).ConfigureAwait(false);
            CaLog.Tainted(_logger, Label(kind), keyId);
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes <paramref name="keyId"/> from the bundle and the key manager at once; returns its journal entry as it was.</summary>
    /// <exception cref="CaKeyOperationException">The key is unknown or active.</exception>
    public async Task<CaKeyEntry> RemoveAsync(string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        var kind = KindOf(keyId) ?? throw new CaKeyOperationException($"no CA key '{keyId}'");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var keys = kind == CaKeyKind.X509 ? _x509 : _jwt;
            var removed = keys.FirstOrDefault(k => k.KeyId == keyId) ?? throw new CaKeyOperationException($"no CA key '{keyId}'");
            var next = EmergencyRotation.Remove(keys, keyId);
            await CommitAsync(kind, next, [keyId], cancellationToken).ConfigureAwait(false);
            CaLog.Removed(_logger, Label(kind), keyId);
            return removed;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<(string Tainted, string Activated)> RotateNowLockedAsync(CaKeyKind kind, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var keys = kind == CaKeyKind.X509 ? _x509 : _jwt;
        var active = keys.Single(k => k.Status == KeyStatus.Active);
        var successor = EmergencyRotation.Successor(keys, now)
            ?? await (kind == CaKeyKind.X509 ? CreateX509Async(now, cancellationToken) : CreateJwtAsync(now, cancellationToken)).ConfigureAwait(false);
        var next = EmergencyRotation.RotateNow(keys, successor, now);
        await CommitAsync(kind, next, [], cancellationToken).ConfigureAwait(false);
        CaLog.RotatedNow(_logger, Label(kind), active.KeyId, successor.KeyId);
        return (active.KeyId, successor.KeyId);
    }

    // Same order as a tick: journal first, then delete keys, then publish the new bundle (sequence + 1).
    private async Task CommitAsync(CaKeyKind kind, IReadOnlyList<CaKeyEntry> keys, List<string> removed, CancellationToken cancellationToken)
    {
        var x509 = kind == CaKeyKind.X509 ? keys : _x509;
        var jwt = kind == CaKeyKind.Jwt ? keys : _jwt;
        await _journal.SaveAsync(CaStateCodec.Encode(new CaState(TrustDomain.Name, _sequence + 1, x509, jwt)), cancellationToken).ConfigureAwait(false);
        _sequence++;
        _x509 = x509;
        _jwt = jwt;
        foreach (var id in removed)
        {
            await DeleteKeyAsync(id, cancellationToken).ConfigureAwait(false);
        }

        Publish();
    }

    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeSeconds(_timeProvider.GetUtcNow().ToUnixTimeSeconds());

    private static string Label(CaKeyKind kind) => kind == CaKeyKind.X509 ? "X.509" : "JWT";
}
