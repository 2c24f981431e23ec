using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Transport;
using Tessera.Server.Audit;
using Tessera.Server.Ca;
using Tessera.Server.Configuration;
using Tessera.Server.Datastore;
using Tessera.Server.Hosting;
using Tessera.Server.NodeApi;
using Tessera.Server.Registration;

namespace Tessera.Server.AdminApi;

/// <summary>The admin gRPC API. Every call is an audit record with the caller's kernel identity.</summary>
internal sealed partial class AdminService(ServerOptions options, IAuditLog audit, IAuditReader reader, TimeProvider time, ServerStartTime started, IDataStore store, EntryValidator validator, CertificateAuthority ca, ChangeFeed changes, Revocations.RevocationRegistry revocations) : Admin.AdminBase
{
    private const int MaxPageSize = 1000;

    public override async Task<ServerInfo> GetServerInfo(GetServerInfoRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        await RecordAsync(caller, "server.info", options.TrustDomain.Name, context.CancellationToken).ConfigureAwait(false);
        return new ServerInfo
        {
            TrustDomain = options.TrustDomain.Name,
            Version = typeof(AdminService).Assembly.GetName().Version?.ToString() ?? "0.0.0",
            StartedAtUnix = started.Value.ToUnixTimeSeconds(),
            CallerUid = caller.Uid,
        };
    }

    public override async Task<Contracts.Admin.V1.Bundle> GetBundle(GetBundleRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var bundle = ca.Bundle;
        await RecordAsync(caller, "bundle.show", options.TrustDomain.Name, context.CancellationToken).ConfigureAwait(false);
        return new Contracts.Admin.V1.Bundle
        {
            TrustDomain = options.TrustDomain.Name,
            SpiffeBundleJson = bundle.ToJson(),
            Sequence = bundle.Sequence ?? 0,
            X509AuthoritiesPem = bundle.X509Bundle.ToPem(),
        };
    }

    public override async Task<ListAuditRecordsResponse> ListAuditRecords(ListAuditRecordsRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        if (request.PageSize is < 0 or > MaxPageSize)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"page_size must be between 0 and {MaxPageSize}"));
        }

        await RecordAsync(caller, "audit.list", "audit log", context.CancellationToken).ConfigureAwait(false);
        var pageSize = request.PageSize == 0 ? 100 : request.PageSize;
        var response = new ListAuditRecordsResponse();
        await foreach (var record in reader.ReadAsync(request.AfterSequence, context.CancellationToken).ConfigureAwait(false))
        {
            response.NextAfterSequence = record.Sequence;
            if (!Matches(request, record.Event))
            {
                continue;
            }

            response.Records.Add(ToMessage(record));
            if (response.Records.Count == pageSize)
            {
                return response;
            }
        }

        response.NextAfterSequence = 0;
        return response;
    }

    public override async Task<VerifyAuditChainResponse> VerifyAuditChain(VerifyAuditChainRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var result = await audit.VerifyAsync(context.CancellationToken).ConfigureAwait(false);
        await RecordAsync(caller, "audit.verify", "audit log", context.CancellationToken).ConfigureAwait(false);
        return new VerifyAuditChainResponse
        {
            Intact = result.Intact,
            RecordsChecked = result.RecordsChecked,
            FirstBadSequence = result.FirstBadSequence,
            Problem = result.Problem,
        };
    }

    private Task<Audit.AuditRecord> RecordAsync(PeerCredentials caller, string action, string target, CancellationToken cancellationToken, string outcome = "ok", string reason = "") =>
        audit.AppendAsync(Event(caller, action, target, outcome, reason), cancellationToken);

    private AuditEvent Event(PeerCredentials caller, string action, string target, string outcome = "ok", string reason = "") =>
        new(time.GetUtcNow(), caller.Describe(), action, target, outcome, reason);

    private static bool Matches(ListAuditRecordsRequest request, AuditEvent e) =>
        (request.Action.Length == 0 || e.Action == request.Action)
        && (request.Outcome.Length == 0 || e.Outcome == request.Outcome)
        && (request.Caller.Length == 0 || e.Caller.Contains(request.Caller, StringComparison.Ordinal));

    private static Contracts.Admin.V1.AuditRecord ToMessage(Audit.AuditRecord record) => new()
    {
        Sequence = record.Sequence,
        TimeUnixMs = record.Event.Time.ToUnixTimeMilliseconds(),
        Caller = record.Event.Caller,
        Action = record.Event.Action,
        Target = record.Event.Target,
        Outcome = record.Event.Outcome,
        Reason = record.Event.Reason,
        PreviousHash = record.PreviousHash,
        Hash = record.Hash,
    };
}
