using Tessera.Server.KeyManagers;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Ca;

/// <summary>
/// Configuration of the server's certificate authority. Defaults follow SPIRE: CA TTL 24h, X509-SVID TTL 1h,
/// JWT-SVID TTL 5m, EC P-256 keys (ES256 for JWT-SVIDs), a self-signed root unless an upstream authority is set.
/// </summary>
internal sealed record CaOptions
{
    /// <summary>Gets the trust domain the CA is the root of trust for. Required.</summary>
    public TrustDomain TrustDomain { get; init; }

    /// <summary>Gets the lifetime of each X.509 CA certificate and JWT signing key (default 24h).</summary>
    public TimeSpan CaTtl { get; init; } = ServerDefaults.CaTtl;

    /// <summary>Gets the default lifetime of an X509-SVID (default 1h).</summary>
    public TimeSpan X509SvidTtl { get; init; } = ServerDefaults.X509SvidTtl;

    /// <summary>Gets the default lifetime of a JWT-SVID (default 5m).</summary>
    public TimeSpan JwtSvidTtl { get; init; } = ServerDefaults.JwtSvidTtl;

    /// <summary>Gets the type of the X.509 CA keys (default EC P-256; EC only).</summary>
    public KeyType X509KeyType { get; init; } = KeyType.EcP256;

    /// <summary>Gets the type of the JWT signing keys (default EC P-256, i.e. ES256).</summary>
    public KeyType JwtKeyType { get; init; } = KeyType.EcP256;

    /// <summary>Gets the PEM file of the upstream CA certificate (followed by its chain up to and including the root), or null for a self-signed root.</summary>
    public string? UpstreamCertificatePath { get; init; }

    /// <summary>Gets the PEM file of the upstream CA's private key (PKCS#8, SEC1 or PKCS#1), or null.</summary>
    public string? UpstreamKeyPath { get; init; }

    /// <summary>Gets the organization (O) written in CA subjects; the trust domain name when null.</summary>
    public string? Organization { get; init; }

    /// <summary>Gets the <c>iss</c> claim written in every JWT-SVID (the OIDC issuer URL), or null to write none.</summary>
    public string? JwtIssuer { get; init; }

    /// <summary>Returns every problem with these options (empty when they are valid), each saying how to fix it.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (TrustDomain.IsZero)
        {
            problems.Add("trust_domain is required (e.g. 'example.org')");
        }

        if (CaTtl < TimeSpan.FromMinutes(1))
        {
            problems.Add($"ca_ttl {CaTtl} is too short; use at least 1 minute (default {ServerDefaults.CaTtl})");
        }

        // Rotation activates the next CA at 5/6 of the active one's life, and it then signs for 1/2 of a CA
        // TTL more: an SVID TTL of at most CA TTL / 6 is never clamped by the CA's remaining life.
        CheckSvidTtl(problems, "x509_svid_ttl", X509SvidTtl, TimeSpan.FromSeconds(1));
        CheckSvidTtl(problems, "jwt_svid_ttl", JwtSvidTtl, TimeSpan.FromSeconds(1));
        if (X509KeyType is not (KeyType.EcP256 or KeyType.EcP384))
        {
            problems.Add($"x509_key_type {X509KeyType} is not supported for the CA; use EcP256 or EcP384");
        }

        if (!Enum.IsDefined(JwtKeyType))
        {
            problems.Add($"jwt_key_type {JwtKeyType} is unknown; use EcP256, EcP384 or Rsa2048");
        }

        if ((UpstreamCertificatePath is null) != (UpstreamKeyPath is null))
        {
            problems.Add("upstream authority needs both upstream_certificate_path and upstream_key_path, or neither");
        }

        CheckFile(problems, "upstream_certificate_path", UpstreamCertificatePath);
        CheckFile(problems, "upstream_key_path", UpstreamKeyPath);
        return problems;
    }

    /// <summary>Throws when <see cref="Validate"/> finds problems, listing all of them.</summary>
    /// <exception cref="InvalidOperationException">The options are invalid.</exception>
    public void ValidateOrThrow()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("invalid CA configuration:\n - " + string.Join("\n - ", problems));
        }
    }

    private void CheckSvidTtl(List<string> problems, string name, TimeSpan ttl, TimeSpan minimum)
    {
        if (ttl < minimum)
        {
            problems.Add($"{name} {ttl} is too short; use at least {minimum}");
        }
        else if (ttl > CaTtl / 6)
        {
            problems.Add($"{name} {ttl} is longer than ca_ttl / 6 ({CaTtl / 6}); raise ca_ttl or lower {name}");
        }
    }

    private static void CheckFile(List<string> problems, string name, string? path)
    {
        if (path is not null && !File.Exists(path))
        {
            problems.Add($"{name} '{path}' does not exist");
        }
    }
}
