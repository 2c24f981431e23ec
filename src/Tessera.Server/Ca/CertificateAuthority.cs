using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Buffers.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Server.Ca.Internal;
using Tessera.Server.Ca.Journal;
using Tessera.Server.Ca.Rotation;
using Tessera.Server.Ca.Upstream;
using Tessera.Server.KeyManagers;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Ca;

/// <summary>
/// The trust domain's certificate authority: X.509 CA keys and JWT signing keys, each rotated by
/// <see cref="RotationPlanner"/> on <see cref="TickAsync"/>, with the state kept in an <see cref="ICaJournal"/>
/// and the keys in an <see cref="IKeyManager"/>. Signing is lock-free and thread-safe.
/// </summary>
internal sealed partial class CertificateAuthority : IDisposable
{
    private const string X509Prefix = "x509-";
    private const string JwtPrefix = "jwt-";
    private const int MaxStepsPerTick = 32;

    private readonly CaOptions _options;
    private readonly IKeyManager _keyManager;
    private readonly ICaJournal _journal;
    private readonly TimeProvider _timeProvider;
    private readonly UpstreamAuthority? _upstream;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, JsonElement>? _issuerClaim;
    private readonly Dictionary<string, ManagedKey> _keys = new(StringComparer.Ordinal);
    private IReadOnlyList<CaKeyEntry> _x509 = [];
    private IReadOnlyList<CaKeyEntry> _jwt = [];
    private ulong _sequence;
    private bool _dirty;
    private volatile CaSnapshot? _snapshot;

    private CertificateAuthority(CaOptions options, IKeyManager keyManager, ICaJournal journal, TimeProvider timeProvider, UpstreamAuthority? upstream, ILogger logger)
    {
        _logger = logger;
        _options = options;
        _keyManager = keyManager;
        _journal = journal;
        _timeProvider = timeProvider;
        _upstream = upstream;
        _issuerClaim = options.JwtIssuer is null
            ? null
            : new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["iss"] = JsonDocument.Parse($"\"{JsonEncodedText.Encode(options.JwtIssuer)}\"").RootElement.Clone() };
    }

    /// <summary>Gets the trust domain.</summary>
    public TrustDomain TrustDomain => _options.TrustDomain;

    /// <summary>Gets the trust bundle to publish: X.509 authorities and JWT keys (prepared, active and old), with its sequence number.</summary>
    public SpiffeBundle Bundle => Current.Bundle;

    /// <summary>Gets the X.509 authorities relying parties must trust (the upstream roots when there is an upstream authority).</summary>
    public X509Bundle X509Bundle => Current.Bundle.X509Bundle;

    /// <summary>Gets the JWT signing keys relying parties must trust, by kid.</summary>
    public JwtBundle JwtBundle => Current.Bundle.JwtBundle;

    /// <summary>Gets whether an upstream authority signs this CA's keys (the bundle then holds its roots, not the CA's own certificates).</summary>
    public bool HasUpstreamAuthority => _upstream is not null;

    /// <summary>
    /// Under an upstream authority, every certificate between this CA's SVIDs and the bundle's roots: each X.509 CA
    /// key's certificate and the upstream chain. A peer that presents only its leaf (an agent's TLS client) is
    /// verified with these added, so the server completes the path it issued itself. Empty for a self-signed CA,
    /// whose certificates are the roots. Shared: never dispose them.
    /// </summary>
    public IReadOnlyList<X509Certificate2> X509Intermediates => Current.X509Intermediates;

    /// <summary>Gets the X.509 keys' rotation state (for inspection and tests).</summary>
    public IReadOnlyList<CaKeyEntry> X509Keys => _x509;

    /// <summary>Gets the JWT keys' rotation state (for inspection and tests).</summary>
    public IReadOnlyList<CaKeyEntry> JwtKeys => _jwt;

    private CaSnapshot Current => _snapshot ?? throw new InvalidOperationException("the CA has not been started; use CreateAsync");

    /// <summary>
    /// Validates <paramref name="options"/>, loads the upstream authority and the journal, and brings the keys
    /// up to date with the clock (creating the first keys on a fresh start).
    /// </summary>
    /// <exception cref="InvalidOperationException">The options are invalid (every problem listed), the upstream authority cannot be loaded, or the journal belongs to another trust domain.</exception>
    /// <exception cref="InvalidDataException">The journal or a key file is corrupt; the message names it.</exception>
    public static Task<CertificateAuthority> CreateAsync(CaOptions options, IKeyManager keyManager, ICaJournal journal, TimeProvider timeProvider, CancellationToken cancellationToken) =>
        CreateAsync(options, keyManager, journal, timeProvider, NullLogger.Instance, cancellationToken);

    /// <summary>Like the other overload, logging rotation events to <paramref name="logger"/>.</summary>
    public static async Task<CertificateAuthority> CreateAsync(CaOptions options, IKeyManager keyManager, ICaJournal journal, TimeProvider timeProvider, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keyManager);
        ArgumentNullException.ThrowIfNull(journal);
        ArgumentNullException.ThrowIfNull(timeProvider);
        options.ValidateOrThrow();
        var upstream = options.UpstreamCertificatePath is { } cert ? UpstreamAuthority.Load(cert, options.UpstreamKeyPath!) : null;
        var ca = new CertificateAuthority(options, keyManager, journal, timeProvider, upstream, logger);
        try
        {
            await ca.LoadAsync(cancellationToken).ConfigureAwait(false);
            await ca.TickAsync(cancellationToken).ConfigureAwait(false);
            return ca;
        }
        catch
        {
            ca.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Advances rotation to the current time: removes expired keys, prepares, activates. Returns whether
    /// anything changed (then the journal was saved and the bundle's sequence number incremented). Call it
    /// periodically (every few seconds is plenty; rotation points are hours apart by default).
    /// </summary>
    public async Task<bool> TickAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Whole seconds: X.509 validity has second precision, and the journal must match the certificates.
            var now = DateTimeOffset.FromUnixTimeSeconds(_timeProvider.GetUtcNow().ToUnixTimeSeconds());
            var removed = new List<string>();
            var (x509, x509Changed) = await AdvanceAsync("X.509", _x509, now, CreateX509Async, removed, cancellationToken).ConfigureAwait(false);
            var (jwt, jwtChanged) = await AdvanceAsync("JWT", _jwt, now, CreateJwtAsync, removed, cancellationToken).ConfigureAwait(false);
            var changed = x509Changed || jwtChanged || _dirty;
            if (changed)
            {
                _x509 = x509;
                _jwt = jwt;
                _sequence++;

                // Journal first, then delete keys: a crash in between leaves an orphan key (cleaned up at the next
                // start), never a journal that names a deleted key.
                await _journal.SaveAsync(CaStateCodec.Encode(new CaState(TrustDomain.Name, _sequence, _x509, _jwt)), cancellationToken).ConfigureAwait(false);
                _dirty = false;
                foreach (var id in removed)
                {
                    await DeleteKeyAsync(id, cancellationToken).ConfigureAwait(false);
                }
            }

            if (changed || _snapshot is null)
            {
                Publish();
            }

            return changed;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Issues an X509-SVID for <paramref name="id"/> bound to <paramref name="subjectKey"/>, signed by the active
    /// CA, as DER with its serial number and validity (what the node API sends and records). The TTL defaults to
    /// <see cref="CaOptions.X509SvidTtl"/> and is clamped to the CA's remaining life.
    /// </summary>
    /// <exception cref="ArgumentException">The ID is outside the trust domain or has no path, or a DNS name is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is not positive.</exception>
    public IssuedX509Svid IssueX509Svid(SpiffeId id, PublicKey subjectKey, TimeSpan? ttl = null, IEnumerable<string>? dnsNames = null)
    {
        ArgumentNullException.ThrowIfNull(subjectKey);
        RequireMember(id);
        var lifetime = RequirePositive(ttl ?? _options.X509SvidTtl, nameof(ttl));
        var snapshot = Current;
        var now = _timeProvider.GetUtcNow();
        var leaf = snapshot.X509Leaves.Issue(id, subjectKey, now, now + lifetime, dnsNames);
        return new IssuedX509Svid(leaf, [leaf.Der, .. snapshot.X509ChainTail], snapshot.X509Leaves.AuthorityKeyIdentifier);
    }

    /// <summary>
    /// Issues an X509-SVID for the key of a PKCS#10 CSR (DER) after verifying the CSR's signature. Nothing else in
    /// the CSR is used: subject, SANs and extensions (a CA flag included) are ignored; the CA sets them all.
    /// </summary>
    /// <exception cref="InvalidCsrException">The CSR is malformed, badly signed, or has an unacceptable key.</exception>
    public IssuedX509Svid IssueX509SvidFromCsr(SpiffeId id, ReadOnlySpan<byte> csr, TimeSpan? ttl = null, IEnumerable<string>? dnsNames = null) =>
        IssueX509Svid(id, CsrReader.ReadPublicKey(csr), ttl, dnsNames);

    /// <summary>
    /// Issues an X509-SVID as <see cref="IssueX509Svid"/> does and returns the chain as certificates the caller owns
    /// (and may dispose): the leaf, then any intermediates (not the root).
    /// </summary>
    /// <exception cref="ArgumentException">The ID is outside the trust domain or has no path, or a DNS name is invalid.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is not positive.</exception>
    public X509Certificate2[] SignX509Svid(SpiffeId id, PublicKey subjectKey, TimeSpan? ttl = null, IEnumerable<string>? dnsNames = null) =>
        ToCertificates(IssueX509Svid(id, subjectKey, ttl, dnsNames));

    /// <summary>As <see cref="IssueX509SvidFromCsr"/>, returning certificates the caller owns (see <see cref="SignX509Svid"/>).</summary>
    /// <exception cref="InvalidCsrException">The CSR is malformed, badly signed, or has an unacceptable key.</exception>
    public X509Certificate2[] SignX509SvidFromCsr(SpiffeId id, ReadOnlySpan<byte> csr, TimeSpan? ttl = null, IEnumerable<string>? dnsNames = null) =>
        ToCertificates(IssueX509SvidFromCsr(id, csr, ttl, dnsNames));

    /// <summary>
    /// Mints a JWT-SVID for <paramref name="id"/> with the active JWT key. The TTL defaults to
    /// <see cref="CaOptions.JwtSvidTtl"/>; the expiry is clamped to the key's end of life. With
    /// <paramref name="boundTo"/>, the token is certificate-bound: it carries <c>cnf.x5t#S256</c> (RFC 8705 §3.1) and
    /// expires no later than that certificate. The caller checks the certificate is an SVID of <paramref name="id"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The ID is outside the trust domain, or the audience is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The TTL is not positive.</exception>
    public string SignJwtSvid(SpiffeId id, IEnumerable<string> audiences, TimeSpan? ttl = null, X509Certificate2? boundTo = null)
    {
        RequireMember(id);
        var lifetime = RequirePositive(ttl ?? _options.JwtSvidTtl, nameof(ttl));
        var snapshot = Current;
        var now = _timeProvider.GetUtcNow();
        var expiry = now + lifetime < snapshot.JwtNotAfter ? now + lifetime : snapshot.JwtNotAfter;
        if (boundTo is not null)
        {
            // A bound token is worthless once its certificate is gone; it never outlives it.
            var certificateEnd = new DateTimeOffset(boundTo.NotAfter.ToUniversalTime(), TimeSpan.Zero);
            expiry = certificateEnd < expiry ? certificateEnd : expiry;
        }

        // jti: 128 random bits, so a token can be named (and revoked) without its signature ever being logged.
        var jwtId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        return snapshot.JwtSigner.Mint(id, audiences, now, expiry, jwtId, boundTo is null ? _issuerClaim : WithConfirmation(boundTo));
    }

    /// <summary>
    /// Signs the CRL in <paramref name="builder"/> once per X.509 CA key that may have signed a current SVID (the
    /// active key and every old one still in the bundle, tainted ones included), each as that CA, so an SVID signed
    /// by the previous key stays checkable after a rotation. The active key's CRL comes first. Returns DER CRLs.
    /// A tainted key signs CRLs only: a CRL can only take trust away, never grant it.
    /// </summary>
    public IReadOnlyList<byte[]> SignCrls(CertificateRevocationListBuilder builder, System.Numerics.BigInteger crlNumber, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return [.. Current.CrlIssuers.Select(i => builder.Build(i.Subject, i.Generator, crlNumber, nextUpdate, HashAlgorithmName.SHA256, i.AuthorityKey, thisUpdate))];
    }

    // RFC 8705 §3.1: cnf {"x5t#S256": base64url(SHA-256(DER certificate))}.
    private Dictionary<string, JsonElement> WithConfirmation(X509Certificate2 certificate)
    {
        var claims = _issuerClaim is null ? new Dictionary<string, JsonElement>(StringComparer.Ordinal) : new Dictionary<string, JsonElement>(_issuerClaim, StringComparer.Ordinal);
        var thumbprint = Base64Url.EncodeToString(SHA256.HashData(certificate.RawDataMemory.Span));
        claims["cnf"] = JsonDocument.Parse($"{{\"x5t#S256\":\"{thumbprint}\"}}").RootElement.Clone();
        return claims;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }

        _keys.Clear();
        _upstream?.Dispose();
        _gate.Dispose();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        var blob = await _journal.LoadAsync(cancellationToken).ConfigureAwait(false);
        if (blob is not null)
        {
            var state = CaStateCodec.Decode(blob);
            if (!string.Equals(state.TrustDomain, TrustDomain.Name, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the CA journal belongs to trust domain '{state.TrustDomain}', not '{TrustDomain.Name}'; use another data directory");
            }

            _sequence = state.Sequence;
            _x509 = await LoadKeysAsync("X.509", state.X509.Where(IssuedByCurrentAuthority).ToArray(), cancellationToken).ConfigureAwait(false);
            _jwt = await LoadKeysAsync("JWT", state.Jwt, cancellationToken).ConfigureAwait(false);
            _dirty |= _x509.Count != state.X509.Count;
        }

        // Keys generated but never journaled (a crash between the two) are orphans: delete them.
        foreach (var id in await _keyManager.ListKeyIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            if ((id.StartsWith(X509Prefix, StringComparison.Ordinal) || id.StartsWith(JwtPrefix, StringComparison.Ordinal)) && !_keys.ContainsKey(id))
            {
                await _keyManager.DeleteKeyAsync(id, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private bool IssuedByCurrentAuthority(CaKeyEntry entry)
    {
        // Switching between a self-signed root and an upstream authority changes what the bundle trusts; a CA
        // certificate of the other kind would sign SVIDs nobody can verify, so it is dropped and replaced.
        using var certificate = X509CertificateLoader.LoadCertificate(entry.Certificate!);
        var issuer = _upstream?.Signer.SubjectName.RawData ?? certificate.SubjectName.RawData;
        if (certificate.IssuerName.RawData.AsSpan().SequenceEqual(issuer))
        {
            return true;
        }

        CaLog.Dropped(_logger, "X.509", entry.KeyId, _upstream is null ? "it was issued by an upstream authority that is no longer configured" : "it was not issued by the configured upstream authority");
        return false;
    }

    private async Task<IReadOnlyList<CaKeyEntry>> LoadKeysAsync(string kind, IReadOnlyList<CaKeyEntry> entries, CancellationToken cancellationToken)
    {
        var kept = new List<CaKeyEntry>();
        foreach (var entry in entries)
        {
            var key = await _keyManager.GetKeyAsync(entry.KeyId, cancellationToken).ConfigureAwait(false);
            if (key is null)
            {
                // The key manager lost it (e.g. a memory key manager after a restart): drop the entry and let
                // rotation create what is missing, as SPIRE does, rather than refuse to start.
                CaLog.Dropped(_logger, kind, entry.KeyId, "its key is missing from the key manager");
                _dirty = true;
                continue;
            }

            _keys[entry.KeyId] = key;
            kept.Add(entry);
        }

        return kept;
    }

    private async Task<(IReadOnlyList<CaKeyEntry> Keys, bool Changed)> AdvanceAsync(
        string kind,
        IReadOnlyList<CaKeyEntry> keys,
        DateTimeOffset now,
        Func<DateTimeOffset, CancellationToken, Task<CaKeyEntry>> create,
        List<string> removed,
        CancellationToken cancellationToken)
    {
        var changed = false;
        for (var i = 0; i < MaxStepsPerTick && RotationPlanner.NextStep(keys, now) is { } step; i++)
        {
            CaKeyEntry? created = null;
            if (step.Action is RotationAction.CreateActive or RotationAction.Prepare)
            {
                created = await create(now, cancellationToken).ConfigureAwait(false);
            }
            else if (step.Action == RotationAction.Remove)
            {
                removed.Add(step.KeyId!);
            }

            var subject = created ?? keys.First(k => k.KeyId == step.KeyId);
            keys = RotationPlanner.Apply(keys, step, created);
            changed = true;
            CaLog.Rotated(_logger, kind, subject.KeyId, step.Action switch
            {
                RotationAction.CreateActive => "created and activated",
                RotationAction.Prepare => "prepared and published",
                RotationAction.Activate => "activated",
                _ => "removed from the bundle",
            }, subject.NotBefore, subject.NotAfter);
        }

        return (keys, changed);
    }

    private async Task<CaKeyEntry> CreateX509Async(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = X509Prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var key = await GenerateKeyAsync(id, _options.X509KeyType, cancellationToken).ConfigureAwait(false);
        var ec = key.EcKey!; // options validation allows EC CA keys only
        using var certificate = _upstream is null
            ? X509SvidIssuer.CreateAuthority(TrustDomain, ec, now, now + _options.CaTtl, _options.Organization)
            : X509SvidIssuer.IssueIntermediate(_upstream.Signer, TrustDomain, new PublicKey(ec), now, now + _options.CaTtl, _options.Organization);
        return new CaKeyEntry(id, KeyStatus.Prepared, Utc(certificate.NotBefore), Utc(certificate.NotAfter), certificate.RawData);
    }

    private async Task<CaKeyEntry> CreateJwtAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = JwtPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await GenerateKeyAsync(id, _options.JwtKeyType, cancellationToken).ConfigureAwait(false);
        return new CaKeyEntry(id, KeyStatus.Prepared, now, now + _options.CaTtl);
    }

    private async Task<ManagedKey> GenerateKeyAsync(string id, KeyType type, CancellationToken cancellationToken)
    {
        var key = await _keyManager.GenerateKeyAsync(id, type, cancellationToken).ConfigureAwait(false);
        _keys[id] = key;
        return key;
    }

    private async Task DeleteKeyAsync(string id, CancellationToken cancellationToken)
    {
        // Not disposed: a signer taken from the previous snapshot may still hold it for an in-flight signature.
        _keys.Remove(id);
        await _keyManager.DeleteKeyAsync(id, cancellationToken).ConfigureAwait(false);
    }

    private void Publish()
    {
        var certificates = _x509.Select(e => X509CertificateLoader.LoadCertificate(e.Certificate!)).ToArray();
        var activeX509 = _x509.Single(e => e.Status == KeyStatus.Active);
        var activeCertificate = certificates[IndexOf(_x509, activeX509)];
        var x509Bundle = new X509Bundle(TrustDomain, _upstream?.Roots ?? certificates);
        var jwtBundle = new JwtBundle(TrustDomain, _jwt.Select(e => new JwtAuthority(e.KeyId, _keys[e.KeyId].Key)));
        var activeJwt = _jwt.Single(e => e.Status == KeyStatus.Active);
        IReadOnlyList<X509Certificate2> intermediates = _upstream is null ? [] : [.. certificates, .. _upstream.Chain];
        IReadOnlyList<ReadOnlyMemory<byte>> tail = _upstream is null ? [] : [activeCertificate.RawData, .. _upstream.Chain.Select(c => (ReadOnlyMemory<byte>)c.RawData)];
        var crlIssuers = _x509
            .Select((e, i) => (Entry: e, Certificate: certificates[i]))
            .Where(p => p.Entry.Status != KeyStatus.Prepared)
            .OrderBy(p => p.Entry.Status == KeyStatus.Active ? 0 : 1)
            .Select(p => new CrlIssuer(
                p.Certificate.SubjectName,
                X509SignatureGenerator.CreateForECDsa(_keys[p.Entry.KeyId].EcKey!),
                X509AuthorityKeyIdentifierExtension.CreateFromCertificate(p.Certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false)))
            .ToArray();
        _snapshot = new CaSnapshot(
            new SpiffeBundle(TrustDomain, x509Bundle, jwtBundle, _sequence),
            new X509LeafSigner(activeCertificate, X509SignatureGenerator.CreateForECDsa(_keys[activeX509.KeyId].EcKey!)),
            tail,
            intermediates,
            new JwtSvidSigner(_keys[activeJwt.KeyId].Key, activeJwt.KeyId, timeProvider: _timeProvider),
            activeJwt.NotAfter,
            crlIssuers);
    }

    private void RequireMember(SpiffeId id)
    {
        if (!id.MemberOf(TrustDomain))
        {
            throw new ArgumentException($"'{id}' is not in trust domain '{TrustDomain}'; this CA signs for its own trust domain only", nameof(id));
        }
    }

    private static X509Certificate2[] ToCertificates(IssuedX509Svid issued) =>
        [.. issued.Chain.Select(der => X509CertificateLoader.LoadCertificate(der.Span))];

    private static TimeSpan RequirePositive(TimeSpan ttl, string name) =>
        ttl > TimeSpan.Zero ? ttl : throw new ArgumentOutOfRangeException(name, ttl, "the TTL must be positive");

    private static int IndexOf(IReadOnlyList<CaKeyEntry> entries, CaKeyEntry entry)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            if (ReferenceEquals(entries[i], entry))
            {
                return i;
            }
        }

        return -1;
    }

    private static DateTimeOffset Utc(DateTime time) => new(time.ToUniversalTime(), TimeSpan.Zero);
}
