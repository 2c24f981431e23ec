using System.Text.RegularExpressions;
using Tessera.Server.Configuration;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Registration;

/// <summary>
/// Checks a registration entry before anything is written, collecting every problem: IDs inside the trust
/// domain, selectors well formed and not repeated, TTLs within bounds, DNS names valid, an accountable owner.
/// </summary>
internal sealed partial class EntryValidator(ServerOptions options, TimeProvider time)
{
    public const int MaxSelectors = 64;
    public const int MaxSelectorValueLength = 1024;
    public const int MaxFreeTextLength = 1024;
    public static readonly TimeSpan MinX509SvidTtl = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MinJwtSvidTtl = TimeSpan.FromSeconds(30);

    /// <summary>Returns every problem with <paramref name="spec"/>; empty when it may be written.</summary>
    public IReadOnlyList<string> Validate(EntrySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<string>();
        CheckId("spiffe_id", spec.SpiffeId, requirePath: true, problems);
        CheckId("parent_id", spec.ParentId, requirePath: false, problems);
        if (spec.SpiffeId == spec.ParentId && spec.SpiffeId.Length > 0)
        {
            problems.Add("parent_id: an entry cannot be its own parent");
        }

        CheckSelectors(spec.Selectors, problems);
        CheckTtl("x509_svid_ttl", spec.X509SvidTtl, MinX509SvidTtl, problems);
        CheckTtl("jwt_svid_ttl", spec.JwtSvidTtl, MinJwtSvidTtl, problems);
        foreach (var dns in spec.DnsNames)
        {
            if (!IsDnsName(dns))
            {
                problems.Add($"dns_names: '{Sanitize(dns)}' is not a valid DNS name (letters, digits, hyphens; labels of 1-63; at most 253; '*.' only as the first label)");
            }
        }

        if (spec.DnsNames.Distinct(StringComparer.OrdinalIgnoreCase).Count() != spec.DnsNames.Count)
        {
            problems.Add("dns_names: a DNS name is listed twice");
        }

        if (string.IsNullOrWhiteSpace(spec.Owner))
        {
            problems.Add("owner: required — every identity needs an accountable owner (a team or person)");
        }

        CheckText("owner", spec.Owner, problems);
        CheckText("purpose", spec.Purpose, problems);
        CheckText("hint", spec.Hint, problems);
        CheckFederatesWith(spec.FederatesWith, problems);
        if (spec.ExpiresAt is { } expires && expires <= time.GetUtcNow())
        {
            problems.Add($"expires_at: {expires:O} is in the past");
        }

        return problems;
    }

    private void CheckFederatesWith(IReadOnlyList<string> names, List<string> problems)
    {
        if (names.Count > MaxSelectors)
        {
            problems.Add($"federates_with: {names.Count} trust domains; at most {MaxSelectors}");
            return;
        }

        foreach (var name in names)
        {
            if (!TrustDomain.TryParse(name, out var trustDomain, out var error))
            {
                problems.Add($"federates_with: {error}");
            }
            else if (trustDomain == options.TrustDomain)
            {
                // Workloads always receive their own trust domain's bundle; listing it would suggest otherwise.
                problems.Add($"federates_with: '{trustDomain}' is this server's own trust domain");
            }
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            problems.Add("federates_with: a trust domain is listed twice");
        }
    }

    private void CheckId(string field, string text, bool requirePath, List<string> problems)
    {
        if (!SpiffeId.TryParse(text, out var id, out var error))
        {
            problems.Add($"{field}: {error}");
            return;
        }

        if (!id.MemberOf(options.TrustDomain))
        {
            problems.Add($"{field}: '{id}' is not in trust domain '{options.TrustDomain}'");
        }
        else if (requirePath && !id.HasPath)
        {
            problems.Add($"{field}: '{id}' names the trust domain itself; a workload's ID needs a path");
        }
    }

    private static void CheckSelectors(IReadOnlyList<(string Type, string Value)> selectors, List<string> problems)
    {
        if (selectors.Count == 0)
        {
            problems.Add("selectors: at least one is required (e.g. unix:uid:1001); an entry without selectors would match every workload");
            return;
        }

        if (selectors.Count > MaxSelectors)
        {
            problems.Add($"selectors: {selectors.Count} given; at most {MaxSelectors}");
        }

        foreach (var (type, value) in selectors)
        {
            if (!SelectorType().IsMatch(type))
            {
                problems.Add($"selectors: type '{Sanitize(type)}' must be lower-case letters, digits, '_' or '-' (e.g. unix)");
            }

            if (value.Length == 0 || value.Length > MaxSelectorValueLength || value.Any(char.IsControl))
            {
                problems.Add($"selectors: value of '{Sanitize(type)}' must be 1-{MaxSelectorValueLength} printable characters");
            }
        }

        if (selectors.Distinct().Count() != selectors.Count)
        {
            problems.Add("selectors: a selector is listed twice");
        }
    }

    private void CheckTtl(string field, TimeSpan ttl, TimeSpan minimum, List<string> problems)
    {
        // Zero means "the server default".
        if (ttl != TimeSpan.Zero && (ttl < minimum || ttl >= options.CaTtl))
        {
            problems.Add($"{field}: {ttl.TotalSeconds:F0}s is out of bounds; use 0 for the default or {minimum.TotalSeconds:F0}s up to less than the CA TTL ({options.CaTtl.TotalSeconds:F0}s)");
        }
    }

    private static void CheckText(string field, string text, List<string> problems)
    {
        if (text.Length > MaxFreeTextLength || text.Any(c => char.IsControl(c) && c != '\n'))
        {
            problems.Add($"{field}: at most {MaxFreeTextLength} characters, no control characters");
        }
    }

    private static bool IsDnsName(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        var labels = name.Split('.');
        for (var i = 0; i < labels.Length; i++)
        {
            if (i == 0 && labels[i] == "*" && labels.Length > 2)
            {
                continue;
            }

            if (!DnsLabel().IsMatch(labels[i]))
            {
                return false;
            }
        }

        return true;
    }

    // Peer-supplied text in messages: printable ASCII only, bounded.
    private static string Sanitize(string text) =>
        new([.. text.Take(64).Select(c => c is >= ' ' and <= '~' ? c : '?')]);

    [GeneratedRegex("^[a-z0-9_-]{1,64}$")]
    private static partial Regex SelectorType();

    [GeneratedRegex("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")]
    private static partial Regex DnsLabel();
}
