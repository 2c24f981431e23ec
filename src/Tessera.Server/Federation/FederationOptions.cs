namespace Tessera.Server.Federation;

/// <summary>Federation settings (all off by default): this server's bundle endpoint, and the trust domains it fetches bundles from.</summary>
internal sealed record FederationOptions
{
    /// <summary>Gets the settings with federation off.</summary>
    public static FederationOptions Off { get; } = new();

    /// <summary>ip:port of the bundle endpoint (<c>federation_bundle_endpoint_address</c>); null serves none.</summary>
    public string? BundleEndpointAddress { get; init; }

    /// <summary>How the endpoint authenticates: this server's own SVID (default) or an operator's web certificate.</summary>
    public BundleEndpointProfile BundleEndpointProfile { get; init; } = BundleEndpointProfile.HttpsSpiffe;

    /// <summary>PEM certificate chain of the https_web profile.</summary>
    public string? BundleEndpointCertFile { get; init; }

    /// <summary>PEM private key of the https_web profile.</summary>
    public string? BundleEndpointKeyFile { get; init; }

    /// <summary>
    /// <c>spiffe_refresh_hint</c> published with the bundle. Default: ca_ttl / 12, at most 5 minutes. The next CA key
    /// is published at ca_ttl / 2 and signs from 5 ca_ttl / 6, so peers get about four chances to fetch it first.
    /// </summary>
    public TimeSpan BundleEndpointRefreshHint { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The trust domains whose bundles this server fetches (<c>federates_with</c>).</summary>
    public IReadOnlyList<FederationRelationship> FederatesWith { get; init; } = [];

    /// <summary>Extra PEM roots trusted (besides the system's) for https_web bundle endpoints; for private PKIs and tests.</summary>
    public string? WebCaFile { get; init; }
}
