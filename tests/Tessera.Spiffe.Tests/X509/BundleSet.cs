using System.Diagnostics.CodeAnalysis;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Tests.X509;

/// <summary>A bundle source holding the bundles of several trust domains.</summary>
internal sealed class BundleSet(params X509Bundle[] bundles) : IX509BundleSource
{
    public bool TryGetX509Bundle(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle)
    {
        bundle = bundles.FirstOrDefault(b => b.TrustDomain == trustDomain);
        return bundle is not null;
    }
}
