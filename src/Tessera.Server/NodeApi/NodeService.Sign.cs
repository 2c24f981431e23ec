using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Contracts.Node.V1;
using Tessera.Server.Audit;
using Tessera.Server.Ca;
using Tessera.Server.Datastore;
using Tessera.Spiffe.X509;

namespace Tessera.Server.NodeApi;

/// <summary>
/// SignX509Svids and SignJwtSvid: only for entries in the calling agent's authorised set. The server takes the
/// key from the CSR and nothing else; the SPIFFE ID, DNS names, TTL and every extension come from the entry.
/// </summary>
internal sealed partial class NodeService
{
    /// <summary>The largest SignX509Svids batch.</summary>
    public const int MaxSvidBatch = 1000;

    public override async Task<SignX509SvidsResponse> SignX509Svids(SignX509SvidsRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        var agent = await AuthenticateAsync("svid.x509.sign", context).ConfigureAwait(false);
        var caller = AgentCaller(agent);
        if (request.Requests.Count > MaxSvidBatch)
        {
            await RefuseAsync(caller, "svid.x509.sign", "batch", StatusCode.InvalidArgument,
                $"a SignX509Svids batch holds at most {MaxSvidBatch} requests; got {request.Requests.Count.ToString(CultureInfo.InvariantCulture)}", ct).ConfigureAwait(false);
        }

        var entries = await authorised.GetAsync(agent.SpiffeId, ct).ConfigureAwait(false);
        var now = time.GetUtcNow();

        // Signing is CPU-bound and the CA is thread-safe: a large batch uses every core, results keep request order.
        var items = request.Requests;
        var outcomes = new (SvidResult Result, IssuedSvid? Issued, AuditEvent Event)[items.Count];
        Parallel.For(0, items.Count, new ParallelOptions { CancellationToken = ct }, i => outcomes[i] = SignOne(agent, caller, items[i], entries, now));
        var response = new SignX509SvidsResponse();
        response.Results.AddRange(outcomes.Select(o => o.Result));
        var issued = outcomes.Where(o => o.Issued is not null).Select(o => o.Issued!).ToList();
        var events = outcomes.Select(o => o.Event).ToList();

        // Recorded and audited before anything is returned: an SVID nobody can trace is never handed out.
        // The issued-SVID records and the audit records are one transaction: neither exists without the other.
        await audit.WriteAuditedAsync<int>(async (writer, token) =>
        {
            await writer.RecordIssuedSvidsAsync(issued, token).ConfigureAwait(false);
            return (issued.Count, events);
        }, ct).ConfigureAwait(false);
        return response;
    }

    public override async Task<SignJwtSvidResponse> SignJwtSvid(SignJwtSvidRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var ct = context.CancellationToken;
        var agent = await AuthenticateAsync("svid.jwt.sign", context).ConfigureAwait(false);
        var caller = AgentCaller(agent);
        var target = $"entry {NodeMapping.Clean(request.EntryId)}";
        if (request.Audience.Count == 0 || request.Audience.Any(string.IsNullOrWhiteSpace))
        {
            await RefuseAsync(caller, "svid.jwt.sign", target, StatusCode.InvalidArgument, "audience is required (one or more non-empty values)", ct).ConfigureAwait(false);
        }

        var entries = await authorised.GetAsync(agent.SpiffeId, ct).ConfigureAwait(false);
        if (Authorise(agent, request.EntryId, entries, time.GetUtcNow()) is { } refusal)
        {
            await RefuseAsync(caller, "svid.jwt.sign", target, StatusCode.PermissionDenied, refusal, ct).ConfigureAwait(false);
        }

        var entry = entries[request.EntryId];
        X509Certificate2? boundTo = null;
        if (!request.BindX509Svid.IsEmpty)
        {
            (boundTo, var problem) = ReadBinding(request.BindX509Svid.Span, entry);
            if (problem is not null)
            {
                await RefuseAsync(caller, "svid.jwt.sign", target, StatusCode.PermissionDenied, problem, ct).ConfigureAwait(false);
            }
        }

        using var bound = boundTo;
        await AfterCutoffSecondAsync(entry.SpiffeId, ct).ConfigureAwait(false);
        var token = ca.SignJwtSvid(entry.SpiffeId, request.Audience, entry.JwtSvidTtl > TimeSpan.Zero ? entry.JwtSvidTtl : null, bound);
        // The token itself is never logged or audited; its subject, audiences and binding are.
        var binding = bound is null ? string.Empty : $" bound to serial {bound.SerialNumber}";
        await RecordAsync(caller, "svid.jwt.sign", $"{target} {entry.SpiffeId} aud {NodeMapping.Clean(string.Join(",", request.Audience))}{binding}", ct).ConfigureAwait(false);
        return new SignJwtSvidResponse { Token = token };
    }

    // iat has whole seconds: a token minted in the same second as an identity-wide revocation ("issued before now")
    // would carry an iat before the cutoff and be refused everywhere. Waiting for the next second (at most one, only
    // right after such a revocation) keeps the revocation fail-closed without refusing the fresh token.
    private async Task AfterCutoffSecondAsync(Spiffe.Ids.SpiffeId id, CancellationToken ct)
    {
        var cutoff = revocations.Current.Revocations
            .Where(r => r.Kind == RevocationKind.JwtIssuedBefore && r.SpiffeId == id)
            .Select(r => (DateTimeOffset?)r.RevokedAt).Max();
        if (cutoff is not { } at)
        {
            return;
        }

        var nextSecond = DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds() + (at.Millisecond > 0 || at.Microsecond > 0 ? 1 : 0));
        var wait = nextSecond - time.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }
    }

    // A token is bound only to a current SVID of the entry's own identity, issued by this CA: otherwise an agent
    // could bind a token to a certificate whose key someone else holds.
    private (X509Certificate2? Certificate, string? Problem) ReadBinding(ReadOnlySpan<byte> der, RegistrationEntry entry)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException)
        {
            return (null, "bind_x509_svid is not a DER certificate");
        }

        var verified = X509SvidVerifier.Verify([certificate, .. ca.X509Intermediates], ca.X509Bundle, time.GetUtcNow());
        if (!verified.IsValid)
        {
            certificate.Dispose();
            return (null, $"bind_x509_svid does not verify: {verified.Message}");
        }

        if (verified.Id != entry.SpiffeId)
        {
            certificate.Dispose();
            return (null, $"bind_x509_svid is an SVID of {verified.Id}, not of the entry's {entry.SpiffeId}");
        }

        return (certificate, null);
    }

    private (SvidResult Result, IssuedSvid? Issued, AuditEvent Event) SignOne(AttestedAgent agent, string caller, SvidRequest item, IReadOnlyDictionary<string, RegistrationEntry> entries, DateTimeOffset now)
    {
        var result = new SvidResult { EntryId = item.EntryId };
        var target = $"entry {NodeMapping.Clean(item.EntryId)}";
        if (Authorise(agent, item.EntryId, entries, now) is { } refusal)
        {
            result.Error = refusal;
            return (result, null, new AuditEvent(now, caller, "svid.x509.sign", target, "denied", refusal));
        }

        var entry = entries[item.EntryId];
        IssuedX509Svid issued;
        try
        {
            issued = ca.IssueX509SvidFromCsr(entry.SpiffeId, item.Csr.Span, entry.X509SvidTtl > TimeSpan.Zero ? entry.X509SvidTtl : null, entry.DnsNames);
        }
        catch (InvalidCsrException ex)
        {
            result.Error = $"csr: {ex.Message}";
            return (result, null, new AuditEvent(now, caller, "svid.x509.sign", target, "denied", result.Error));
        }

        var serial = issued.Leaf.SerialNumber;
        result.SvidChain.AddRange(issued.Chain.Select(der => ByteString.CopyFrom(der.Span)));
        var record = new IssuedSvid(serial, entry.SpiffeId, issued.Leaf.NotAfter, agent.SpiffeId, issued.AuthorityKeyIdentifier, now);
        return (result, record, new AuditEvent(now, caller, "svid.x509.sign", $"{target} {entry.SpiffeId} serial {serial}", "ok", string.Empty));
    }

    private static string? Authorise(AttestedAgent agent, string entryId, IReadOnlyDictionary<string, RegistrationEntry> entries, DateTimeOffset now)
    {
        if (!entries.TryGetValue(entryId, out var entry))
        {
            return $"agent {agent.SpiffeId} is not authorised for entry {NodeMapping.Clean(entryId)}";
        }

        return entry.ExpiresAt is { } expires && expires <= now ? $"entry {entryId} expired at {expires:O}" : null;
    }
}
