using System.CommandLine;
using Tessera.Contracts.Admin.V1;
using Tessera.Hosting.Configuration;

namespace Tessera.Cli.Entries;

/// <summary>The options that describe an entry (shared by create and update) and their translation into the wire message.</summary>
internal sealed class EntryOptions
{
    public Option<string> SpiffeId { get; } = new("--spiffe-id") { Description = "the workload's SPIFFE ID, e.g. spiffe://example.org/payments/api" };
    public Option<string> ParentId { get; } = new("--parent-id") { Description = "the agent (or parent entry) this entry hangs under" };
    public Option<string[]> Selectors { get; } = new("--selector") { Description = "type:value, repeatable; all must match (e.g. unix:uid:1001)", AllowMultipleArgumentsPerToken = true };
    public Option<string> X509Ttl { get; } = new("--x509-svid-ttl") { Description = "X509-SVID lifetime, e.g. 1h (default: the server's)" };
    public Option<string> JwtTtl { get; } = new("--jwt-svid-ttl") { Description = "JWT-SVID lifetime, e.g. 5m (default: the server's)" };
    public Option<string[]> DnsNames { get; } = new("--dns") { Description = "DNS SANs, repeatable", AllowMultipleArgumentsPerToken = true };
    public Option<bool> Admin { get; } = new("--admin") { Description = "the workload may call the admin API with its SVID" };
    public Option<string> Hint { get; } = new("--hint") { Description = "a hint for workloads holding several identities" };
    public Option<string> ExpiresAt { get; } = new("--expires-at") { Description = "the entry stops issuing after this time (ISO 8601)" };
    public Option<string> Owner { get; } = new("--owner") { Description = "the accountable team or person (required)" };
    public Option<string> Purpose { get; } = new("--purpose") { Description = "what this identity is for" };
    public Option<string[]> FederatesWith { get; } = new("--federates-with") { Description = "a trust domain whose federated bundle the workload receives, repeatable (e.g. partner.example)", AllowMultipleArgumentsPerToken = true };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { SpiffeId, ParentId, Selectors, X509Ttl, JwtTtl, DnsNames, Admin, Hint, ExpiresAt, Owner, Purpose, FederatesWith })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Fills <paramref name="entry"/> from the options given; returns the problems with the options themselves.</summary>
    public List<string> Apply(ParseResult result, Entry entry)
    {
        var problems = new List<string>();
        if (result.GetValue(SpiffeId) is { } id)
        {
            entry.SpiffeId = id;
        }

        if (result.GetValue(ParentId) is { } parent)
        {
            entry.ParentId = parent;
        }

        if (result.GetValue(Selectors) is { Length: > 0 } selectors)
        {
            entry.Selectors.Clear();
            SelectorText.AddAll(selectors, entry.Selectors, problems);
        }

        ApplyTtl(result.GetValue(X509Ttl), "--x509-svid-ttl", seconds => entry.X509SvidTtlSeconds = seconds, problems);
        ApplyTtl(result.GetValue(JwtTtl), "--jwt-svid-ttl", seconds => entry.JwtSvidTtlSeconds = seconds, problems);
        if (result.GetValue(DnsNames) is { Length: > 0 } dns)
        {
            entry.DnsNames.Clear();
            entry.DnsNames.AddRange(dns);
        }

        if (result.GetValue(FederatesWith) is { Length: > 0 } federatesWith)
        {
            entry.FederatesWith.Clear();
            entry.FederatesWith.AddRange(federatesWith);
        }

        if (result.GetResult(Admin) is not null)
        {
            entry.Admin = result.GetValue(Admin);
        }

        entry.Hint = result.GetValue(Hint) ?? entry.Hint;
        entry.Owner = result.GetValue(Owner) ?? entry.Owner;
        entry.Purpose = result.GetValue(Purpose) ?? entry.Purpose;
        if (result.GetValue(ExpiresAt) is { } expires)
        {
            if (DateTimeOffset.TryParse(expires, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at))
            {
                entry.ExpiresAtUnix = at.ToUnixTimeSeconds();
            }
            else
            {
                problems.Add($"--expires-at: '{expires}' is not a time; use ISO 8601, e.g. 2027-01-01T00:00:00Z");
            }
        }

        return problems;
    }

    private static void ApplyTtl(string? text, string option, Action<int> set, List<string> problems)
    {
        if (text is null)
        {
            return;
        }

        if (DurationParser.TryParse(text, out var ttl, out var error))
        {
            set((int)Math.Min(int.MaxValue, ttl.TotalSeconds));
        }
        else
        {
            problems.Add($"{option}: {error}");
        }
    }
}
