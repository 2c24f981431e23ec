using System.Security.Cryptography;
using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Transport;
using Tessera.Server.Datastore;
using Tessera.Spiffe.Ids;
using WireEntry = Tessera.Contracts.Admin.V1.Entry;
using WireEntryFilter = Tessera.Contracts.Admin.V1.EntryFilter;

namespace Tessera.Server.AdminApi;

/// <summary>Registration entries and join tokens. Every call, accepted or refused, is an audit record.</summary>
internal sealed partial class AdminService
{
    private const int MaxBatch = 500;
    private const int MaxPage = 1000;
    private static readonly TimeSpan DefaultJoinTokenTtl = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan MaxJoinTokenTtl = TimeSpan.FromDays(1);

    public override async Task<CreateEntriesResponse> CreateEntries(CreateEntriesRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        if (request.Entries.Count is 0 or > MaxBatch)
        {
            await RefuseAsync(caller, "entry.create", "batch", $"a batch holds 1 to {MaxBatch} entries; got {request.Entries.Count}", ct).ConfigureAwait(false);
        }

        var problems = new List<string>();
        var entries = new List<RegistrationEntry>();
        for (var i = 0; i < request.Entries.Count; i++)
        {
            var (entry, entryProblems) = EntryMapping.ToEntry(request.Entries[i], validator);
            var prefix = request.Entries.Count > 1 ? $"entry {i + 1}: " : string.Empty;
            problems.AddRange(entryProblems.Select(p => prefix + p));
            if (entry is not null)
            {
                entries.Add(entry);
            }
        }

        var target = request.Entries.Count == 1 ? request.Entries[0].SpiffeId : $"{request.Entries.Count} entries";
        if (problems.Count > 0)
        {
            await RefuseAsync(caller, "entry.create", target, string.Join("; ", problems), ct).ConfigureAwait(false);
        }

        IReadOnlyList<RegistrationEntry> created;
        try
        {
            // The entries and their audit records are one transaction: no entry exists without its record.
            created = await audit.WriteAuditedAsync<IReadOnlyList<RegistrationEntry>>(async (writer, token) =>
            {
                var written = await writer.CreateEntriesAsync(entries, token).ConfigureAwait(false);
                return (written, [.. written.Select(e => Event(caller, "entry.create", $"{e.Id} {e.SpiffeId}"))]);
            }, ct).ConfigureAwait(false);
        }
        catch (DataStoreConflictException ex) when (ex.Conflict != DataStoreConflict.AuditTail)
        {
            await RecordAsync(caller, "entry.create", target, ct, "denied", ex.Message).ConfigureAwait(false);
            throw new RpcException(new Status(StatusCode.AlreadyExists, ex.Message));
        }

        changes.Signal();

        var response = new CreateEntriesResponse();
        response.Entries.AddRange(created.Select(EntryMapping.ToWire));
        return response;
    }

    public override async Task<WireEntry> GetEntry(GetEntryRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var entry = await store.GetEntryAsync(request.Id, context.CancellationToken).ConfigureAwait(false);
        await RecordAsync(caller, "entry.show", request.Id, context.CancellationToken, entry is null ? "error" : "ok", entry is null ? "no such entry" : string.Empty).ConfigureAwait(false);
        return entry is null ? throw NotFound(request.Id) : EntryMapping.ToWire(entry);
    }

    public override async Task<WireEntry> UpdateEntry(UpdateEntryRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var wire = request.Entry ?? new WireEntry();
        var (entry, problems) = EntryMapping.ToEntry(wire, validator);
        if (problems.Count > 0 || entry is null)
        {
            await RefuseAsync(caller, "entry.update", wire.Id, string.Join("; ", problems), ct).ConfigureAwait(false);
        }

        RegistrationEntry? updated;
        try
        {
            updated = await audit.WriteAuditedAsync<RegistrationEntry?>(async (writer, token) =>
            {
                var written = await writer.UpdateEntryAsync(entry! with { Id = wire.Id, Revision = wire.Revision }, token).ConfigureAwait(false);
                return (written, [written is null ? Event(caller, "entry.update", wire.Id, "error", "no such entry") : Event(caller, "entry.update", wire.Id)]);
            }, ct).ConfigureAwait(false);
        }
        catch (DataStoreConflictException ex) when (ex.Conflict != DataStoreConflict.AuditTail)
        {
            await RecordAsync(caller, "entry.update", wire.Id, ct, "denied", ex.Message).ConfigureAwait(false);
            throw new RpcException(new Status(ex.Conflict == DataStoreConflict.Revision ? StatusCode.Aborted : StatusCode.AlreadyExists, ex.Message));
        }

        if (updated is not null)
        {
            changes.Signal();
        }

        return updated is null ? throw NotFound(wire.Id) : EntryMapping.ToWire(updated);
    }

    public override async Task<DeleteEntryResponse> DeleteEntry(DeleteEntryRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        if (request.Revoke)
        {
            return await DeleteEntryAndRevokeAsync(caller, request, ct).ConfigureAwait(false);
        }

        var deleted = await audit.WriteAuditedAsync<bool>(async (writer, token) =>
        {
            var done = await writer.DeleteEntryAsync(request.Id, token).ConfigureAwait(false);
            return (done, [done ? Event(caller, "entry.delete", request.Id) : Event(caller, "entry.delete", request.Id, "error", "no such entry")]);
        }, ct).ConfigureAwait(false);
        if (deleted)
        {
            changes.Signal();
        }

        return deleted ? new DeleteEntryResponse() : throw NotFound(request.Id);
    }

    public override async Task<ListEntriesResponse> ListEntries(ListEntriesRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var filter = await FilterAsync(caller, "entry.list", request.Filter, ct).ConfigureAwait(false);
        if (request.PageSize is < 0 or > MaxPage)
        {
            await RefuseAsync(caller, "entry.list", "entries", $"page_size must be between 0 and {MaxPage}", ct).ConfigureAwait(false);
        }

        EntryPage page;
        try
        {
            page = await store.ListEntriesAsync(filter, request.PageSize == 0 ? 100 : request.PageSize, request.PageToken.Length == 0 ? null : request.PageToken, ct).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            await RefuseAsync(caller, "entry.list", "entries", "page_token is not one this server issued", ct).ConfigureAwait(false);
            throw;
        }

        await RecordAsync(caller, "entry.list", "entries", ct).ConfigureAwait(false);
        var response = new ListEntriesResponse { NextPageToken = page.NextPageToken ?? string.Empty };
        response.Entries.AddRange(page.Entries.Select(EntryMapping.ToWire));
        return response;
    }

    public override async Task<CountEntriesResponse> CountEntries(CountEntriesRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var filter = await FilterAsync(caller, "entry.count", request.Filter, context.CancellationToken).ConfigureAwait(false);
        var count = await store.CountEntriesAsync(filter, context.CancellationToken).ConfigureAwait(false);
        await RecordAsync(caller, "entry.count", "entries", context.CancellationToken).ConfigureAwait(false);
        return new CountEntriesResponse { Count = count };
    }

    public override async Task<Contracts.Admin.V1.JoinToken> GenerateJoinToken(GenerateJoinTokenRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var ttl = request.TtlSeconds == 0 ? DefaultJoinTokenTtl : TimeSpan.FromSeconds(request.TtlSeconds);
        if (ttl < TimeSpan.FromSeconds(10) || ttl > MaxJoinTokenTtl)
        {
            await RefuseAsync(caller, "token.generate", "join token", $"ttl must be between 10s and {MaxJoinTokenTtl.TotalHours:F0}h", ct).ConfigureAwait(false);
        }

        SpiffeId? agentId = null;
        if (request.SpiffeId.Length > 0)
        {
            if (!SpiffeId.TryParse(request.SpiffeId, out var parsed, out var error) || !parsed.MemberOf(options.TrustDomain) || !parsed.HasPath)
            {
                await RefuseAsync(caller, "token.generate", "join token", $"spiffe_id: {error ?? $"'{parsed}' must be a path in trust domain '{options.TrustDomain}'"}", ct).ConfigureAwait(false);
            }

            agentId = parsed;
        }

        // 128 bits of randomness; only its hash is stored, and the audit log names the token by a short prefix.
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var expires = time.GetUtcNow() + ttl;
        await audit.WriteAuditedAsync<Datastore.JoinToken>(async (writer, cancellationToken) =>
        {
            var stored = await writer.CreateJoinTokenAsync(token, agentId, expires, cancellationToken).ConfigureAwait(false);
            return (stored, [Event(caller, "token.generate", $"join token {token[..6]}… (expires {expires:O})")]);
        }, ct).ConfigureAwait(false);
        var agentSpiffeId = agentId ?? Attestation.JoinToken.JoinTokenAttestor.DefaultAgentId(options.TrustDomain, token);
        return new Contracts.Admin.V1.JoinToken { Token = token, ExpiresAtUnix = expires.ToUnixTimeSeconds(), AgentSpiffeId = agentSpiffeId.ToString() };
    }

    private async Task<Datastore.EntryFilter> FilterAsync(PeerCredentials caller, string action, WireEntryFilter? wire, CancellationToken ct)
    {
        var (filter, problem) = EntryMapping.ToFilter(wire);
        if (problem is not null)
        {
            await RefuseAsync(caller, action, "entries", problem, ct).ConfigureAwait(false);
        }

        return filter!;
    }

    // Refusals are audited with their reason, then reach the caller as InvalidArgument.
    private async Task RefuseAsync(PeerCredentials caller, string action, string target, string reason, CancellationToken ct)
    {
        await RecordAsync(caller, action, target, ct, "denied", reason).ConfigureAwait(false);
        throw new RpcException(new Status(StatusCode.InvalidArgument, reason));
    }

    private static RpcException NotFound(string id) => new(new Status(StatusCode.NotFound, $"no entry with id '{id}'"));
}
