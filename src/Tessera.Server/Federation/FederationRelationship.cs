using Tessera.Spiffe.Ids;

namespace Tessera.Server.Federation;

/// <summary>
/// A trust domain this server federates with: where its bundle endpoint is and how to authenticate it. For
/// <see cref="BundleEndpointProfile.HttpsSpiffe"/>, <see cref="EndpointSpiffeId"/> is the SPIFFE ID the endpoint's
/// SVID must carry (SPIFFE Federation §5.2.2), e.g. <c>spiffe://partner.example/tessera/server</c>.
/// </summary>
internal sealed record FederationRelationship(TrustDomain TrustDomain, Uri BundleEndpointUrl, BundleEndpointProfile Profile, SpiffeId? EndpointSpiffeId)
{
    /// <summary>Parses one relationship: <c>TRUST_DOMAIN URL https_spiffe ENDPOINT_SPIFFE_ID</c> or <c>TRUST_DOMAIN URL https_web</c>.</summary>
    public static bool TryParse(string text, out FederationRelationship? relationship, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        relationship = null;
        var parts = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3)
        {
            error = $"'{text}' is not 'TRUST_DOMAIN URL https_spiffe ENDPOINT_SPIFFE_ID' or 'TRUST_DOMAIN URL https_web'";
            return false;
        }

        if (!TrustDomain.TryParse(parts[0], out var trustDomain, out var tdError))
        {
            error = $"'{parts[0]}': {tdError}";
            return false;
        }

        if (!Uri.TryCreate(parts[1], UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttps)
        {
            // Federation §5: bundle endpoints are served over HTTPS only.
            error = $"bundle endpoint URL '{parts[1]}' is not an absolute https:// URL";
            return false;
        }

        switch (parts[2])
        {
            case "https_spiffe" when parts.Length == 4:
                if (!SpiffeId.TryParse(parts[3], out var endpointId, out var idError))
                {
                    error = $"endpoint SPIFFE ID '{parts[3]}': {idError}";
                    return false;
                }

                if (endpointId.TrustDomain != trustDomain)
                {
                    // Only the foreign trust domain's own bundle is used to verify its endpoint here, so its SVID must belong to it.
                    error = $"endpoint SPIFFE ID '{endpointId}' is not in trust domain '{trustDomain}'";
                    return false;
                }

                relationship = new(trustDomain, url, BundleEndpointProfile.HttpsSpiffe, endpointId);
                break;
            case "https_spiffe":
                error = $"'{trustDomain}': profile https_spiffe needs the endpoint SPIFFE ID after it";
                return false;
            case "https_web" when parts.Length == 3:
                relationship = new(trustDomain, url, BundleEndpointProfile.HttpsWeb, null);
                break;
            default:
                error = $"'{trustDomain}': profile '{parts[2]}' is not https_spiffe or https_web (https_web takes nothing after it)";
                return false;
        }

        error = null;
        return true;
    }

    /// <inheritdoc/>
    public override string ToString() => Profile == BundleEndpointProfile.HttpsSpiffe
        ? $"{TrustDomain} {BundleEndpointUrl} https_spiffe {EndpointSpiffeId}"
        : $"{TrustDomain} {BundleEndpointUrl} https_web";
}
