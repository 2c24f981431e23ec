using Grpc.Core;
using Tessera.Cli.Admin;
using Tessera.Contracts.Admin.V1;

namespace Tessera.Cli.Drill;

/// <summary>The admin API calls the drill makes, each with the CLI's admin deadline, and the reason it records on its revocations.</summary>
internal sealed class DrillAdmin(Contracts.Admin.V1.Admin.AdminClient client, string runId)
{
    /// <summary>Gets the reason every drill revocation carries (it stays in the revocation list and the audit log).</summary>
    public string Reason { get; } = $"tessera drill revocation {runId}: rehearsal, canary credential";

    public Contracts.Admin.V1.Admin.AdminClient Client => client;

    public async Task<RevokeResponse> RevokeX509Async(RevokeX509SvidsRequest request, CancellationToken cancellationToken)
    {
        request.Reason = Reason;
        return await client.RevokeX509SvidsAsync(request, Options(cancellationToken));
    }

    public async Task<RevokeResponse> RevokeJwtAsync(RevokeJwtSvidsRequest request, CancellationToken cancellationToken)
    {
        request.Reason = Reason;
        return await client.RevokeJwtSvidsAsync(request, Options(cancellationToken));
    }

    public async Task<Entry> CreateEntryAsync(Entry entry, CancellationToken cancellationToken)
    {
        var response = await client.CreateEntriesAsync(new CreateEntriesRequest { Entries = { entry } }, Options(cancellationToken));
        return response.Entries[0];
    }

    /// <summary>Deletes an entry; false when it was already gone.</summary>
    public async Task<bool> DeleteEntryAsync(string id, CancellationToken cancellationToken)
    {
        try
        {
            await client.DeleteEntryAsync(new DeleteEntryRequest { Id = id }, Options(cancellationToken));
            return true;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task<ServerInfo> GetServerInfoAsync(CancellationToken cancellationToken) =>
        await client.GetServerInfoAsync(new GetServerInfoRequest(), Options(cancellationToken));

    public async Task<IReadOnlyList<Contracts.Admin.V1.Agent>> ListAgentsAsync(CancellationToken cancellationToken) =>
        (await client.ListAgentsAsync(new ListAgentsRequest(), Options(cancellationToken))).Agents;

    private static CallOptions Options(CancellationToken cancellationToken) => new(deadline: AdminConnection.CallDeadline(), cancellationToken: cancellationToken);
}
