using Tessera.Hosting.Configuration;

namespace Tessera.Server.Configuration;

/// <summary>
/// The OIDC discovery listener and the JWT issuer, read from the settings <c>oidc_address</c>,
/// <c>oidc_tls_cert_file</c>, <c>oidc_tls_key_file</c> and <c>jwt_issuer</c>.
/// </summary>
/// <param name="Address">ip:port of the listener, or null for none.</param>
/// <param name="CertFile">The TLS certificate (PEM), or null for plain HTTP.</param>
/// <param name="KeyFile">The TLS key (PEM), or null.</param>
/// <param name="Issuer">The issuer URL, or null when JWT-SVIDs carry no <c>iss</c>.</param>
internal sealed record OidcSettings(string? Address, string? CertFile, string? KeyFile, string? Issuer)
{
    /// <summary>Reads and checks the settings, adding a problem per mistake. Without <c>jwt_issuer</c>, a listener's issuer is its own URL.</summary>
    public static OidcSettings Read(IReadOnlyDictionary<string, string> values, string workingDirectory, List<string> problems)
    {
        values.TryGetValue("oidc_address", out var address);
        if (address is not null && !HealthAddress.TryParse(address, out _))
        {
            problems.Add($"oidc_address: '{address}' is not ip:port or localhost:port (e.g. 127.0.0.1:8443)");
        }

        values.TryGetValue("oidc_tls_cert_file", out var cert);
        values.TryGetValue("oidc_tls_key_file", out var key);
        if ((cert is null) != (key is null))
        {
            problems.Add("oidc_tls_cert_file and oidc_tls_key_file: give both or neither");
        }

        if ((cert ?? key) is not null && address is null)
        {
            problems.Add("oidc_tls_cert_file: set oidc_address too; the certificate is for the OIDC listener");
        }

        cert = cert is null ? null : Path.GetFullPath(cert, workingDirectory);
        key = key is null ? null : Path.GetFullPath(key, workingDirectory);
        foreach (var (setting, file) in new[] { ("oidc_tls_cert_file", cert), ("oidc_tls_key_file", key) })
        {
            if (file is not null && !File.Exists(file))
            {
                problems.Add($"{setting}: '{file}' does not exist");
            }
        }

        values.TryGetValue("jwt_issuer", out var issuer);
        if (issuer is not null && !IsIssuerUrl(issuer))
        {
            // OpenID Connect Discovery §3: the issuer is an https URL with no query or fragment (http is tolerated
            // here for local use); relying parties compare it character for character with the discovery document.
            problems.Add($"jwt_issuer: '{issuer}' is not an absolute http(s) URL without query or fragment (e.g. https://oidc.example.org)");
        }

        issuer ??= address is null ? null : $"{(cert is null ? "http" : "https")}://{address}";
        return new OidcSettings(address, cert, key, issuer?.TrimEnd('/'));
    }

    private static bool IsIssuerUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && uri.Scheme is "https" or "http"
        && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
        && string.IsNullOrEmpty(uri.UserInfo);
}
