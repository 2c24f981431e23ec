using Tessera.Spiffe.Bundles;

namespace Tessera.Server.Federation;

/// <summary>Downloads a trust domain's bundle document from its bundle endpoint.</summary>
internal interface IBundleEndpointClient
{
    /// <summary>
    /// Returns the response body of <c>GET</c> on the endpoint, authenticated per the relationship's profile;
    /// <paramref name="held"/> is the bundle currently held for that trust domain (required for https_spiffe).
    /// </summary>
    /// <exception cref="BundleFetchException">Unreachable, not authenticated, not 200, or too large.</exception>
    Task<byte[]> FetchAsync(FederationRelationship relationship, SpiffeBundle? held, CancellationToken cancellationToken);
}
