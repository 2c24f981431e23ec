using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.WorkloadApi;

/// <summary>
/// One X.509 answer of the Workload API: every X509-SVID the workload is entitled to, and the X.509 bundles of
/// its own and every federated trust domain (SPIFFE Workload API §5.2.1).
/// </summary>
public sealed class X509Context
{
    /// <summary>Creates a context; <paramref name="svids"/> must hold at least one SVID.</summary>
    /// <exception cref="ArgumentException"><paramref name="svids"/> is empty.</exception>
    public X509Context(IReadOnlyList<X509Svid> svids, BundleSet bundles)
    {
        ArgumentNullException.ThrowIfNull(svids);
        ArgumentNullException.ThrowIfNull(bundles);
        if (svids.Count == 0)
        {
            throw new ArgumentException("an X.509 context holds at least one SVID", nameof(svids));
        }

        Svids = svids;
        Bundles = bundles;
    }

    /// <summary>Gets every SVID, in the order the Workload API sent them; the first is the default identity.</summary>
    public IReadOnlyList<X509Svid> Svids { get; }

    /// <summary>Gets the default SVID: the first one the Workload API sent (Workload API §5.2.1).</summary>
    public X509Svid DefaultSvid => Svids[0];

    /// <summary>Gets the X.509 bundles of the workload's own and every federated trust domain.</summary>
    public BundleSet Bundles { get; }

    /// <summary>Lists the SPIFFE IDs and bundle trust domains; never key material.</summary>
    public override string ToString() =>
        $"X509Context {{ Svids = [{string.Join(", ", Svids.Select(s => s.Id))}], TrustDomains = [{string.Join(", ", Bundles.TrustDomains)}] }}";
}
