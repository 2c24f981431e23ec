using System.Diagnostics.CodeAnalysis;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Bundles;

/// <summary>Supplies the JWT bundle (the JWT-SVID signing keys) of a trust domain.</summary>
public interface IJwtBundleSource
{
    /// <summary>Returns the JWT bundle of <paramref name="trustDomain"/>, or false when the source has none.</summary>
    bool TryGetJwtBundle(TrustDomain trustDomain, [NotNullWhen(true)] out JwtBundle? bundle);
}
