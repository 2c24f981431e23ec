using Grpc.Core;
using Tessera.Contracts.Admin.V1;
using Tessera.Contracts.Transport;
using Tessera.Server.Datastore;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.AdminApi;

/// <summary>Federated bundles: validated in the SPIFFE bundle format before they are stored, never this trust domain's own.</summary>
internal sealed partial class AdminService
{
    private const int MaxBundleJsonLength = 1024 * 1024;

    public override async Task<ListFederatedBundlesResponse> ListFederatedBundles(ListFederatedBundlesRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var stored = await store.ListBundlesAsync(context.CancellationToken).ConfigureAwait(false);
        await RecordAsync(caller, "bundle.list", "federated bundles", context.CancellationToken).ConfigureAwait(false);
        var response = new ListFederatedBundlesResponse();
        response.Bundles.AddRange(stored.Select(ToWire));
        return response;
    }

    public override async Task<Contracts.Admin.V1.Bundle> SetFederatedBundle(SetFederatedBundleRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var trustDomain = await FederatedTrustDomainAsync(caller, "bundle.set", request.TrustDomain, ct).ConfigureAwait(false);
        if (request.SpiffeBundleJson.Length > MaxBundleJsonLength)
        {
            await RefuseAsync(caller, "bundle.set", trustDomain.Name, $"bundle is {request.SpiffeBundleJson.Length} characters; at most {MaxBundleJsonLength}", ct).ConfigureAwait(false);
        }

        SpiffeBundle bundle;
        try
        {
            bundle = SpiffeBundle.Parse(trustDomain, request.SpiffeBundleJson);
        }
        catch (FormatException ex)
        {
            await RefuseAsync(caller, "bundle.set", trustDomain.Name, $"not a valid SPIFFE bundle: {ex.Message}", ct).ConfigureAwait(false);
            throw;
        }

        var stored = await audit.WriteAuditedAsync<StoredBundle>(async (writer, token) =>
        {
            var written = await writer.SetBundleAsync(trustDomain, bundle.ToJson(), token).ConfigureAwait(false);
            return (written, [Event(caller, "bundle.set", $"{trustDomain} ({bundle.X509Bundle.Authorities.Count} X.509 authorities, {bundle.JwtBundle.Authorities.Count} JWT keys)")]);
        }, ct).ConfigureAwait(false);
        changes.Signal();
        return ToWire(stored);
    }

    public override async Task<DeleteFederatedBundleResponse> DeleteFederatedBundle(DeleteFederatedBundleRequest request, ServerCallContext context)
    {
        var caller = AdminCaller.Get(context);
        var ct = context.CancellationToken;
        var trustDomain = await FederatedTrustDomainAsync(caller, "bundle.delete", request.TrustDomain, ct).ConfigureAwait(false);
        var deleted = await audit.WriteAuditedAsync<bool>(async (writer, token) =>
        {
            var done = await writer.DeleteBundleAsync(trustDomain, token).ConfigureAwait(false);
            return (done, [done ? Event(caller, "bundle.delete", trustDomain.Name) : Event(caller, "bundle.delete", trustDomain.Name, "error", "no such bundle")]);
        }, ct).ConfigureAwait(false);
        if (deleted)
        {
            changes.Signal();
        }

        return deleted ? new DeleteFederatedBundleResponse() : throw new RpcException(new Status(StatusCode.NotFound, $"no federated bundle for '{trustDomain}'"));
    }

    private async Task<TrustDomain> FederatedTrustDomainAsync(PeerCredentials caller, string action, string text, CancellationToken ct)
    {
        if (!TrustDomain.TryParse(text, out var trustDomain, out var error))
        {
            await RefuseAsync(caller, action, "bundle", $"trust_domain: {error}", ct).ConfigureAwait(false);
        }
        else if (trustDomain == options.TrustDomain)
        {
            // The own bundle comes from the CA alone; an operator must not be able to plant a trust root here.
            await RefuseAsync(caller, action, trustDomain.Name, $"'{trustDomain}' is this server's own trust domain; its bundle is managed by the CA", ct).ConfigureAwait(false);
        }

        return trustDomain;
    }

    private static Contracts.Admin.V1.Bundle ToWire(StoredBundle stored)
    {
        var bundle = SpiffeBundle.Parse(stored.TrustDomain, stored.Json);
        return new Contracts.Admin.V1.Bundle
        {
            TrustDomain = stored.TrustDomain.Name,
            SpiffeBundleJson = stored.Json,
            Sequence = (ulong)stored.Sequence,
            X509AuthoritiesPem = bundle.X509Bundle.ToPem(),
        };
    }
}
