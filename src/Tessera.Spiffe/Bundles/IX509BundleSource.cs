using System.Diagnostics.CodeAnalysis;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Bundles;

/// <summary>Supplies the X.509 bundle (the trusted CA certificates) of a trust domain.</summary>
public interface IX509BundleSource
{
    /// <summary>Returns the X.509 bundle of <paramref name="trustDomain"/>, or false when the source has none.</summary>
    bool TryGetX509Bundle(TrustDomain trustDomain, [NotNullWhen(true)] out X509Bundle? bundle);
}
