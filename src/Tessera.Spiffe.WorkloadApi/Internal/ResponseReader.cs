using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.Collections;
using Tessera.Contracts.Workload;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.WorkloadApi.Internal;

/// <summary>
/// Turns Workload API messages into Tessera.Spiffe types, relying only on what the SPIFFE Workload API
/// specification says of each field so that any conforming agent (SPIRE, Tessera, others) works.
/// </summary>
internal static class ResponseReader
{
    /// <summary>Reads an X509SVIDResponse: every SVID (with its hint) and the bundles of every trust domain.</summary>
    /// <exception cref="WorkloadApiException">The response holds no SVID or a malformed field.</exception>
    public static X509Context ReadX509Context(X509SVIDResponse response)
    {
        if (response.Svids.Count == 0)
        {
            throw new WorkloadApiException(Grpc.Core.StatusCode.Internal, "the Workload API sent an X.509 response without any SVID");
        }

        var svids = new List<X509Svid>(response.Svids.Count);
        try
        {
            var bundles = new BundleSet();
            foreach (var svid in response.Svids)
            {
                var parsed = X509Svid.ParseRaw(svid.X509Svid.Span, svid.X509SvidKey.Span, string.IsNullOrEmpty(svid.Hint) ? null : svid.Hint);
                svids.Add(parsed);

                // The SVID's own bundle is keyed by the trust domain of the SVID's SPIFFE ID (Workload API §5.2.1).
                var trustDomain = parsed.Id.TrustDomain;
                if (!bundles.TryGet(trustDomain, out _))
                {
                    bundles.Add(new SpiffeBundle(trustDomain, ReadX509Bundle(trustDomain, svid.Bundle)));
                }
            }

            // A federated entry never replaces the bundle of a trust domain the workload itself belongs to.
            AddX509Bundles(bundles, response.FederatedBundles, replace: false);
            return new X509Context(svids, bundles);
        }
        catch (FormatException ex)
        {
            foreach (var svid in svids)
            {
                svid.Dispose();
            }

            throw WorkloadApiException.Malformed("X.509-SVID response", ex);
        }
    }

    /// <summary>Reads an X509BundlesResponse into a set of X.509 bundles.</summary>
    public static BundleSet ReadX509Bundles(X509BundlesResponse response)
    {
        try
        {
            var bundles = new BundleSet();
            AddX509Bundles(bundles, response.Bundles, replace: true);
            return bundles;
        }
        catch (FormatException ex)
        {
            throw WorkloadApiException.Malformed("X.509 bundles response", ex);
        }
    }

    /// <summary>Reads a JWTBundlesResponse (a JWKS document per trust domain) into a set of JWT bundles.</summary>
    public static BundleSet ReadJwtBundles(JWTBundlesResponse response)
    {
        try
        {
            var bundles = new BundleSet();
            foreach (var (key, jwks) in response.Bundles)
            {
                var trustDomain = ReadTrustDomain(key);
                bundles.Update(new SpiffeBundle(trustDomain, jwtBundle: ReadJwks(trustDomain, jwks)));
            }

            return bundles;
        }
        catch (FormatException ex)
        {
            throw WorkloadApiException.Malformed("JWT bundles response", ex);
        }
    }

    /// <summary>
    /// Reads a JWKS document as a JWT bundle. Keys whose <c>use</c> is absent or <c>jwt-svid</c> are taken: SPIRE
    /// (through go-spiffe) sends its JWT authorities without a <c>use</c>. Keys for another use or of a key type
    /// other than EC or RSA are skipped, as SPIFFE bundle §4.2.2 tells consumers to.
    /// </summary>
    internal static JwtBundle ReadJwks(TrustDomain trustDomain, ByteString jwks)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(jwks.Memory);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"the JWKS of '{trustDomain}' is not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("keys", out var keys)
                || keys.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"the JWKS of '{trustDomain}' has no 'keys' array");
            }

            var authorities = new List<JwtAuthority>();
            foreach (var key in keys.EnumerateArray())
            {
                if (key.ValueKind != JsonValueKind.Object
                    || (key.TryGetProperty("use", out var use) && !(use.ValueKind == JsonValueKind.String && use.GetString() == SpiffeBundle.JwtSvidUse))
                    || !key.TryGetProperty("kty", out var kty)
                    || kty.ValueKind != JsonValueKind.String
                    || kty.GetString() is not ("EC" or "RSA"))
                {
                    continue;
                }

                authorities.Add(JwtAuthority.FromJwk(Encoding.UTF8.GetBytes(key.GetRawText())));
            }

            return new JwtBundle(trustDomain, authorities);
        }
    }

    private static void AddX509Bundles(BundleSet bundles, MapField<string, ByteString> map, bool replace)
    {
        foreach (var (key, der) in map)
        {
            var trustDomain = ReadTrustDomain(key);
            if (replace || !bundles.TryGet(trustDomain, out _))
            {
                bundles.Update(new SpiffeBundle(trustDomain, ReadX509Bundle(trustDomain, der)));
            }
        }
    }

    private static X509Bundle ReadX509Bundle(TrustDomain trustDomain, ByteString der) =>

        // An empty bundle is legal: the trust domain then trusts nothing (SPIFFE bundle §4.1.3).
        der.IsEmpty ? new X509Bundle(trustDomain, []) : X509Bundle.Parse(trustDomain, der.Span);

    /// <summary>Reads a bundle map key: the spec names the trust domain's SPIFFE ID; a bare name is accepted too.</summary>
    private static TrustDomain ReadTrustDomain(string key) =>
        TrustDomain.TryParse(key, out var trustDomain, out var error)
            ? trustDomain
            : throw new FormatException($"bundle key '{key}' is not a trust domain: {error}");
}
