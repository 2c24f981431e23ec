using Tessera.Server.Configuration;
using Tessera.Server.Registration;
using Tessera.Spiffe.Ids;

namespace Tessera.Server.Tests.Registration;

public sealed class EntryValidatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    private static readonly EntrySpec Valid = new()
    {
        SpiffeId = "spiffe://example.org/payments/api",
        ParentId = "spiffe://example.org/spire/agent/join_token/abc",
        Selectors = [("unix", "uid:1001"), ("unix", "sha256:ab12")],
        DnsNames = ["api.payments.internal", "*.payments.internal"],
        Owner = "team-payments",
        Purpose = "card authorisation API",
    };

    [Fact]
    public void Validate_ValidEntry_NoProblems()
    {
        Assert.Empty(Validator().Validate(Valid));
    }

    private static readonly (EntrySpec Spec, string Expected)[] InvalidCases =
    [
        (Valid with { SpiffeId = "spiffe://example.org/a/" }, "spiffe_id: path cannot have a trailing slash (SPIFFE-ID §2.2)"),
        (Valid with { SpiffeId = "spiffe://other.org/a" }, "spiffe_id: 'spiffe://other.org/a' is not in trust domain 'example.org'"),
        (Valid with { SpiffeId = "spiffe://example.org" }, "spiffe_id: 'spiffe://example.org' names the trust domain itself; a workload's ID needs a path"),
        (Valid with { ParentId = "" }, "parent_id: SPIFFE ID is empty"),
        (Valid with { ParentId = Valid.SpiffeId }, "parent_id: an entry cannot be its own parent"),
        (Valid with { Selectors = [] }, "selectors: at least one is required (e.g. unix:uid:1001); an entry without selectors would match every workload"),
        (Valid with { Selectors = [("Unix", "uid:1")] }, "selectors: type 'Unix' must be lower-case letters, digits, '_' or '-' (e.g. unix)"),
        (Valid with { Selectors = [("unix", "")] }, "selectors: value of 'unix' must be 1-1024 printable characters"),
        (Valid with { Selectors = [("unix", "uid:1"), ("unix", "uid:1")] }, "selectors: a selector is listed twice"),
        (Valid with { X509SvidTtl = TimeSpan.FromSeconds(10) }, "x509_svid_ttl: 10s is out of bounds; use 0 for the default or 60s up to less than the CA TTL (86400s)"),
        (Valid with { JwtSvidTtl = TimeSpan.FromHours(24) }, "jwt_svid_ttl: 86400s is out of bounds; use 0 for the default or 30s up to less than the CA TTL (86400s)"),
        (Valid with { DnsNames = ["bad_name.example"] }, "dns_names: 'bad_name.example' is not a valid DNS name (letters, digits, hyphens; labels of 1-63; at most 253; '*.' only as the first label)"),
        (Valid with { DnsNames = ["a.*.example"] }, "dns_names: 'a.*.example' is not a valid DNS name (letters, digits, hyphens; labels of 1-63; at most 253; '*.' only as the first label)"),
        (Valid with { DnsNames = ["a.example", "A.example"] }, "dns_names: a DNS name is listed twice"),
        (Valid with { Owner = " " }, "owner: required — every identity needs an accountable owner (a team or person)"),
        (Valid with { Hint = "a\u0007b" }, "hint: at most 1024 characters, no control characters"),
        (Valid with { ExpiresAt = Now.AddSeconds(-1) }, "expires_at: 2026-11-23T09:59:59.0000000+00:00 is in the past"),
        (Valid with { FederatesWith = ["example.org"] }, "federates_with: 'example.org' is this server's own trust domain"),
        (Valid with { FederatesWith = ["partner.test", "partner.test"] }, "federates_with: a trust domain is listed twice"),
    ];

    public static TheoryData<int> InvalidCaseIndexes => [.. Enumerable.Range(0, InvalidCases.Length)];

    [Theory]
    [MemberData(nameof(InvalidCaseIndexes))]
    public void Validate_InvalidEntry_NamesTheProblem(int index)
    {
        var (spec, expected) = InvalidCases[index];
        Assert.Equal([expected], Validator().Validate(spec));
    }

    [Fact]
    public void Validate_SeveralProblems_ListsEvery()
    {
        var problems = Validator().Validate(Valid with { SpiffeId = "spiffe://other.org/x", Selectors = [], Owner = "" });

        Assert.Equal(3, problems.Count);
    }

    private static EntryValidator Validator() => new(new ServerOptions
    {
        TrustDomain = TrustDomain.Parse("example.org"),
        DataDir = "/tmp/x",
        AdminSocket = "/tmp/x/admin.sock",
        AdminUids = [0],
        HealthAddress = "127.0.0.1:0",
        Datastore = "sqlite",
        KeyManager = "memory",
        CaTtl = TimeSpan.FromHours(24),
        X509SvidTtl = TimeSpan.FromHours(1),
        JwtSvidTtl = TimeSpan.FromMinutes(5),
    }, new FixedTime(Now));

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
