using System.Text.Json;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Bundles.Internal;

/// <summary>Reads and writes SPIFFE Bundle Maps (SPIFFE Trust Domain and Bundle §5).</summary>
internal static class BundleMapCodec
{
    private const string What = "SPIFFE bundle map";

    /// <summary>Reads every bundle of a map; the caller adds them to a fresh set.</summary>
    public static List<SpiffeBundle> Read(ReadOnlySpan<byte> json)
    {
        // §5.1.1 and §6.3: duplicate trust domain keys MUST be rejected; StrictJson rejects duplicate names
        // in every object, the trust_domains object included.
        using var document = StrictJson.Parse(json, What);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{What} must be a JSON object, not {root.ValueKind}");
        }

        if (!root.TryGetProperty("trust_domains", out var domains))
        {
            throw new FormatException($"{What} has no 'trust_domains' member (required by §5.1.1)");
        }

        if (domains.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{What}: 'trust_domains' must be an object keyed by trust domain name, not {domains.ValueKind}");
        }

        var bundles = new List<SpiffeBundle>();
        foreach (var member in domains.EnumerateObject())
        {
            // Keys are trust domain names (SPIFFE-ID §2.1), not SPIFFE IDs, which TrustDomain.TryParse would also take.
            if (member.Name.Contains(":/", StringComparison.Ordinal))
            {
                throw new FormatException($"{What}: '{StrictJson.Printable(member.Name)}' is not a trust domain name: keys are trust domain names, not SPIFFE IDs");
            }

            if (!TrustDomain.TryParse(member.Name, out var trustDomain, out var error))
            {
                throw new FormatException($"{What}: '{StrictJson.Printable(member.Name)}' is not a trust domain name: {error}");
            }

            bundles.Add(SpiffeBundleReader.Read(trustDomain, member.Value, $"{What}: bundle of '{trustDomain}'"));
        }

        return bundles;
    }

    /// <summary>Writes a map of <paramref name="bundles"/>, ordered by trust domain, without refresh hints (§5.1.1).</summary>
    public static void Write(Utf8JsonWriter writer, IEnumerable<SpiffeBundle> bundles)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("trust_domains");
        foreach (var bundle in bundles.OrderBy(b => b.TrustDomain))
        {
            writer.WritePropertyName(bundle.TrustDomain.Name);

            // §5.1.1: producers SHOULD omit the refresh hint of bundles in a map.
            new SpiffeBundle(bundle.TrustDomain, bundle.X509Bundle, bundle.JwtBundle, bundle.Sequence).WriteTo(writer);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
