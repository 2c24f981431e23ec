using Grpc.Core;
using Tessera.Contracts.Workload;

namespace Tessera.Agent.WorkloadApi;

/// <summary>FetchX509SVID and FetchX509Bundles.</summary>
internal sealed partial class WorkloadApiService
{
    public override async Task FetchX509SVID(X509SVIDRequest request, IServerStreamWriter<X509SVIDResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = await callers.AttestAsync(context, FetchX509SvidAction).ConfigureAwait(false);
        await StreamAsync(
            snapshot =>
            {
                var entries = snapshot.Match(caller.Selectors);
                if (entries.Count == 0)
                {
                    // No entry at the first look, or every entry the caller had was deleted: either way nothing may
                    // be served, and the workload must know (it would otherwise keep using a revoked identity).
                    callers.ReportNoIdentity(caller, FetchX509SvidAction);
                    throw WorkloadApiErrors.NoIdentity();
                }

                return X509SvidResponseBuilder.Build(snapshot, entries);
            },
            responseStream,
            context.CancellationToken).ConfigureAwait(false);
    }

    public override async Task FetchX509Bundles(X509BundlesRequest request, IServerStreamWriter<X509BundlesResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = await callers.AttestAsync(context, FetchX509BundlesAction).ConfigureAwait(false);
        await StreamAsync(
            snapshot =>
            {
                if (snapshot.Bundles.IsEmpty)
                {
                    return null;
                }

                var response = new X509BundlesResponse();
                foreach (var (trustDomain, bundle) in CallerBundles.For(snapshot, snapshot.Match(caller.Selectors)))
                {
                    response.Bundles.Add(BundleEncoding.Key(trustDomain), BundleEncoding.X509Der(bundle));
                }

                return response;
            },
            responseStream,
            context.CancellationToken).ConfigureAwait(false);
    }
}
