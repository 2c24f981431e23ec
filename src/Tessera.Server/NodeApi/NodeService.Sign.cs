using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Tessera.Contracts.Node.V1;
using Tessera.Server.Audit;
using Tessera.Server.Ca;
using Tessera.Server.Datastore;

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
        var response = new SignX509SvidsResponse();
        var issued = new List<IssuedSvid>(request.Requests.Count);
        var events = new List<AuditEvent>(request.Requests.Count);
        foreach (var item in request.Requests)
        {
            var result = new SvidResult { EntryId = item.EntryId };
            response.Results.Add(result);
            var target = $"entry {NodeMapping.Clean(item.EntryId)}";
            if (Authorise(agent, item.EntryId, entries, now) is { } refusal)
            {
                result.Error = refusal;
                events.Add(new AuditEvent(now, caller, "svid.x509.sign", target, "denied", refusal));
                continue;
            }

            var entry = entries[item.EntryId];
            try
            {
                var chain = ca.SignX509SvidFromCsr(entry.SpiffeId, item.Csr.Span, entry.X509SvidTtl > TimeSpan.Zero ? entry.X509SvidTtl : null, entry.DnsNames);
                var leaf = chain[0];
                result.SvidChain.AddRange(chain.Select(c => ByteString.CopyFrom(c.RawData)));
                issued.Add(new IssuedSvid(leaf.SerialNumber, entry.SpiffeId, new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero), agent.SpiffeId));
                events.Add(new AuditEvent(now, caller, "svid.x509.sign", $"{target} {entry.SpiffeId} serial {leaf.SerialNumber}", "ok", string.Empty));
                foreach (var certificate in chain)
                {
                    certificate.Dispose();
                }
            }
            catch (InvalidCsrException ex)
            {
                result.Error = $"csr: {ex.Message}";
                events.Add(new AuditEvent(now, caller, "svid.x509.sign", target, "denied", result.Error));
            }
        }

        // Recorded and audited before anything is returned: an SVID nobody can trace is never handed out.
        await store.RecordIssuedSvidsAsync(issued, ct).ConfigureAwait(false);
        await audit.AppendManyAsync(events, ct).ConfigureAwait(false);
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
        var token = ca.SignJwtSvid(entry.SpiffeId, request.Audience, entry.JwtSvidTtl > TimeSpan.Zero ? entry.JwtSvidTtl : null);
        // The token itself is never logged or audited; its subject and audiences are.
        await RecordAsync(caller, "svid.jwt.sign", $"{target} {entry.SpiffeId} aud {NodeMapping.Clean(string.Join(",", request.Audience))}", ct).ConfigureAwait(false);
        return new SignJwtSvidResponse { Token = token };
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
