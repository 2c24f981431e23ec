using System.Text;
using System.Text.Json;
using Tessera.Spiffe.Bundles;

namespace Tessera.Server.Oidc;

/// <summary>
/// The two documents an OIDC relying party reads to verify JWT-SVIDs without knowing SPIFFE: the discovery
/// document (OpenID Connect Discovery 1.0 §3) and the JWK Set of the trust domain's current JWT keys (RFC 7517 §5).
/// </summary>
internal static class OidcDocuments
{
    public const string DiscoveryPath = "/.well-known/openid-configuration";
    public const string KeysPath = "/keys";

    /// <summary>The discovery document for <paramref name="issuer"/>; keys are published at issuer + <see cref="KeysPath"/>.</summary>
    public static string Discovery(string issuer, JwtBundle bundle) => Write(writer =>
    {
        writer.WriteString("issuer", issuer);
        writer.WriteString("jwks_uri", issuer + KeysPath);

        // Required members of the discovery document; JWT-SVIDs play the part of ID tokens for relying parties.
        writer.WriteStartArray("response_types_supported");
        writer.WriteStringValue("id_token");
        writer.WriteEndArray();
        writer.WriteStartArray("subject_types_supported");
        writer.WriteStringValue("public");
        writer.WriteEndArray();
        writer.WriteStartArray("id_token_signing_alg_values_supported");
        foreach (var algorithm in bundle.Authorities.Select(Algorithm).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            writer.WriteStringValue(algorithm);
        }

        writer.WriteEndArray();
    });

    /// <summary>
    /// The JWK Set of every key in the JWT bundle — the active key, the next one (published before it signs) and
    /// retiring ones (kept until their tokens expire) — each with <c>use: sig</c> and its <c>alg</c>, which generic
    /// JOSE libraries use to pick keys (SPIFFE bundles say <c>use: jwt-svid</c> instead).
    /// </summary>
    public static string Jwks(JwtBundle bundle) => Write(writer =>
    {
        writer.WriteStartArray("keys");
        foreach (var authority in bundle.Authorities)
        {
            using var jwk = JsonDocument.Parse(authority.ToJwk());
            writer.WriteStartObject();
            foreach (var member in jwk.RootElement.EnumerateObject())
            {
                if (member.Name != "use")
                {
                    member.WriteTo(writer);
                }
            }

            writer.WriteString("use", "sig");
            writer.WriteString("alg", Algorithm(authority));
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    });

    // The server mints ES256/ES384/ES512 with EC keys by curve, RS256 with RSA keys (JwtSvidSigner's choice).
    private static string Algorithm(JwtAuthority authority) => authority.Curve switch
    {
        "P-256" => "ES256",
        "P-384" => "ES384",
        "P-521" => "ES512",
        _ => "RS256",
    };

    private static string Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
