using System.Diagnostics.CodeAnalysis;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.WorkloadApi;
using Tessera.Spiffe.X509;

namespace Tessera.Cli.Internal;

/// <summary>
/// The SVID a long-running verb (helper, proxy) uses out of everything the Workload API returns: the one with the
/// SPIFFE ID given by <c>--spiffe-id</c>, or the default (first) one. Read on every call, so rotations show.
/// </summary>
internal sealed class ChosenSvidSource(X509Source source, SpiffeId? wanted) : IX509SvidSource, IX509BundleSource
{
    public X509Source Source => source;

    /// <summary>Returns the chosen SVID, or null when the Workload API currently holds none with the wanted ID.</summary>
    public X509Svid? TryGet()
    {
        var context = source.Context;
        return wanted is { } id ? context.Svids.FirstOrDefault(s => s.Id == id) : context.DefaultSvid;
    }

    /// <inheritdoc/>
    public X509Svid GetX509Svid() =>
        TryGet() ?? throw new InvalidOperationException($"the Workload API holds no SVID for {wanted} (it sent {string.Join(", ", source.Context.Svids.Select(s => s.Id))})");

    /// <inheritdoc/>
    public bool TryGetX509Bundle(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle) =>
        source.TryGetX509Bundle(trustDomain, out bundle);
}
