using System.Security.Cryptography.X509Certificates;
using Tessera.Hosting.Configuration;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Federation;

/// <summary>Reads the <c>federation_*</c> and <c>federates_with</c> settings, collecting problems like the rest of the loader.</summary>
internal static class FederationOptionsReader
{
    /// <summary>The settings this reader owns.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "federation_bundle_endpoint_address", "federation_bundle_endpoint_profile", "federation_bundle_endpoint_cert_file",
        "federation_bundle_endpoint_key_file", "federation_bundle_endpoint_refresh_hint", "federates_with", "federation_web_ca_file",
    ];

    private static readonly TimeSpan MaxDefaultRefreshHint = TimeSpan.FromMinutes(5);

    public static FederationOptions Read(IReadOnlyDictionary<string, string> values, TrustDomain ownTrustDomain, TimeSpan caTtl, string workingDirectory, List<string> problems)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(problems);
        string? Path(string key) => values.TryGetValue(key, out var v) && v.Length > 0 ? System.IO.Path.GetFullPath(v, workingDirectory) : null;

        var address = values.GetValueOrDefault("federation_bundle_endpoint_address");
        if (address is not null && !HealthAddress.TryParse(address, out _))
        {
            problems.Add($"federation_bundle_endpoint_address: '{address}' is not ip:port or localhost:port (e.g. 0.0.0.0:8443)");
        }

        var profileText = values.GetValueOrDefault("federation_bundle_endpoint_profile", "https_spiffe");
        var profile = profileText switch
        {
            "https_spiffe" => BundleEndpointProfile.HttpsSpiffe,
            "https_web" => BundleEndpointProfile.HttpsWeb,
            _ => (BundleEndpointProfile?)null,
        };
        if (profile is null)
        {
            problems.Add($"federation_bundle_endpoint_profile: '{profileText}' is not one of https_spiffe, https_web");
        }

        var cert = Path("federation_bundle_endpoint_cert_file");
        var key = Path("federation_bundle_endpoint_key_file");
        if (profile == BundleEndpointProfile.HttpsWeb && address is not null)
        {
            if (cert is null || key is null)
            {
                problems.Add("federation_bundle_endpoint_cert_file and federation_bundle_endpoint_key_file: required with profile https_web");
            }
            else if (WebCertificateSource.TryLoad(cert, key, out _, out var loadError) is false)
            {
                problems.Add($"federation_bundle_endpoint_cert_file: {loadError}");
            }
        }

        var hint = TimeSpan.FromSeconds(Math.Max(1, Math.Floor(Math.Min(caTtl.TotalSeconds / 12, MaxDefaultRefreshHint.TotalSeconds))));
        if (values.TryGetValue("federation_bundle_endpoint_refresh_hint", out var hintText))
        {
            if (!DurationParser.TryParse(hintText, out hint, out var hintError) || hint < TimeSpan.FromSeconds(1))
            {
                problems.Add($"federation_bundle_endpoint_refresh_hint: {hintError ?? $"'{hintText}' is shorter than 1s"}");
            }

            hint = TimeSpan.FromSeconds(Math.Floor(hint.TotalSeconds));
        }

        var relationships = new List<FederationRelationship>();
        if (values.TryGetValue("federates_with", out var list))
        {
            // A list in the config file arrives comma-joined; each item is "TD URL PROFILE [ENDPOINT_ID]".
            foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!FederationRelationship.TryParse(item, out var relationship, out var error))
                {
                    problems.Add($"federates_with: {error}");
                }
                else if (relationship!.TrustDomain == ownTrustDomain)
                {
                    problems.Add($"federates_with: '{relationship.TrustDomain}' is this server's own trust domain");
                }
                else if (relationships.Any(r => r.TrustDomain == relationship.TrustDomain))
                {
                    problems.Add($"federates_with: '{relationship.TrustDomain}' is listed twice");
                }
                else
                {
                    relationships.Add(relationship);
                }
            }
        }

        var webCa = Path("federation_web_ca_file");
        if (webCa is not null)
        {
            try
            {
                var roots = new X509Certificate2Collection();
                roots.ImportFromPemFile(webCa);
                if (roots.Count == 0)
                {
                    problems.Add($"federation_web_ca_file: '{webCa}' holds no PEM certificate");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                problems.Add($"federation_web_ca_file: {ex.Message}");
            }
        }

        return new FederationOptions
        {
            BundleEndpointAddress = address,
            BundleEndpointProfile = profile ?? BundleEndpointProfile.HttpsSpiffe,
            BundleEndpointCertFile = cert,
            BundleEndpointKeyFile = key,
            BundleEndpointRefreshHint = hint,
            FederatesWith = relationships,
            WebCaFile = webCa,
        };
    }
}
