using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tests.X509;

/// <summary>
/// One case per rule of the X509-SVID specification: each breaks exactly one rule and must be rejected
/// both when parsed (<see cref="X509Svid.ParseRaw"/>) and when verified (<see cref="X509SvidVerifier"/>)
/// with the same error and message; the valid variations must pass both.
/// </summary>
public sealed class X509SvidRuleTests
{
    private static readonly TrustDomain ExampleOrg = TrustDomain.Parse("example.org");

    private static readonly Dictionary<string, Violation> ViolationCases = new()
    {
        // §2, §5.2: exactly one URI SAN.
        { "two URI SANs", new(Leaf(new() { UriSans = ["spiffe://example.org/a", "spiffe://example.org/b"] }), Ca(), X509SvidError.MultipleUriSans,
            "certificate contains 2 URI SANs; an X509-SVID must contain exactly one (X509-SVID §2, §5.2)") },
        { "a SPIFFE ID and an https URI", new(Leaf(new() { UriSans = ["spiffe://example.org/a", "https://example.org/b"] }), Ca(), X509SvidError.MultipleUriSans,
            "certificate contains 2 URI SANs; an X509-SVID must contain exactly one (X509-SVID §2, §5.2)") },
        { "no URI SAN, only a DNS SAN", new(Leaf(new() { UriSans = [], DnsNames = ["workload.example.org"] }), Ca(), X509SvidError.MissingUriSan,
            "certificate contains no URI SAN; an X509-SVID must contain exactly one (X509-SVID §2)") },
        { "no SAN extension", new(Leaf(new() { UriSans = [] }), Ca(), X509SvidError.MissingUriSan,
            "certificate contains no URI SAN; an X509-SVID must contain exactly one (X509-SVID §2)") },

        // §5.2: the scheme must be spiffe, and SPIFFE-ID §2 holds.
        { "https URI", new(Leaf(new() { UriSans = ["https://example.org/a"] }), Ca(), X509SvidError.InvalidSpiffeId,
            "URI SAN is not a valid SPIFFE ID: scheme is missing or invalid: a SPIFFE ID must start with 'spiffe://' (SPIFFE-ID §2)") },
        { "upper-case trust domain", new(Leaf(new() { UriSans = ["spiffe://Example.org/a"] }), Ca(), X509SvidError.InvalidSpiffeId,
            "URI SAN is not a valid SPIFFE ID: trust domain must be lower case (SPIFFE-ID §2.1)") },
        { "dot segment", new(Leaf(new() { UriSans = ["spiffe://example.org/a/../b"] }), Ca(), X509SvidError.InvalidSpiffeId,
            "URI SAN is not a valid SPIFFE ID: path cannot contain dot segments '.' or '..' (SPIFFE-ID §2.2)") },

        // §3.1, §5.2: non-root path.
        { "root ID", new(Leaf(new() { UriSans = ["spiffe://example.org"] }), Ca(), X509SvidError.LeafIdWithoutPath,
            "leaf SPIFFE ID 'spiffe://example.org' has no path; a leaf X509-SVID must have a non-root path (X509-SVID §3.1, §5.2)") },

        // §4.1, §5.2: cA=false.
        { "CA leaf", new(Leaf(new() { IsCa = true }), Ca(), X509SvidError.LeafIsCa,
            "leaf certificate has basic constraints cA=true; a leaf X509-SVID must have cA=false (X509-SVID §4.1, §5.2)") },

        // §4.3: key usage present, critical, digitalSignature, no keyCertSign/cRLSign.
        { "no key usage", new(Leaf(new() { OmitKeyUsage = true }), Ca(), X509SvidError.LeafMissingKeyUsage,
            "leaf certificate has no key usage extension; it must be present and critical (X509-SVID §4.3)") },
        { "non-critical key usage", new(Leaf(new() { KeyUsageCritical = false }), Ca(), X509SvidError.LeafKeyUsageNotCritical,
            "leaf certificate's key usage extension is not critical; it must be marked critical (X509-SVID §4.3)") },
        { "no digitalSignature", new(Leaf(new() { KeyUsage = X509KeyUsageFlags.KeyAgreement }), Ca(), X509SvidError.LeafMissingDigitalSignature,
            "leaf certificate's key usage lacks digitalSignature, which a leaf X509-SVID must set (X509-SVID §4.3)") },
        { "keyCertSign", new(Leaf(new() { KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign }), Ca(), X509SvidError.LeafHasKeyCertSign,
            "leaf certificate's key usage sets keyCertSign, which a leaf X509-SVID must not set (X509-SVID §4.3, §5.2)") },
        { "cRLSign", new(Leaf(new() { KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.CrlSign }), Ca(), X509SvidError.LeafHasCrlSign,
            "leaf certificate's key usage sets cRLSign, which a leaf X509-SVID must not set (X509-SVID §4.3, §5.2)") },

        // §3.2, §4.1, §4.3: signing certificates are CAs with keyCertSign whose SPIFFE ID has no path.
        { "intermediate not a CA", new(Leaf(), Ca(new() { IsCa = false }), X509SvidError.SigningCertificateNotCa,
            "certificate 2 signs the chain but does not have basic constraints cA=true (X509-SVID §3.2, §4.1)") },
        { "intermediate without basic constraints", new(Leaf(), Ca(new() { OmitBasicConstraints = true }), X509SvidError.SigningCertificateNotCa,
            "certificate 2 signs the chain but does not have basic constraints cA=true (X509-SVID §3.2, §4.1)") },
        { "intermediate without keyCertSign", new(Leaf(), Ca(new() { KeyUsage = X509KeyUsageFlags.CrlSign }), X509SvidError.SigningCertificateMissingKeyCertSign,
            "certificate 2 signs the chain but its key usage lacks keyCertSign (X509-SVID §3.2, §4.3)") },
        { "intermediate without key usage", new(Leaf(), Ca(new() { OmitKeyUsage = true }), X509SvidError.SigningCertificateMissingKeyCertSign,
            "certificate 2 signs the chain but its key usage lacks keyCertSign (X509-SVID §3.2, §4.3)") },
        { "intermediate ID with a path", new(Leaf(), Ca(new() { UriSans = ["spiffe://example.org/ca"] }), X509SvidError.SigningCertificateIdWithPath,
            "certificate 2 signs the chain but its SPIFFE ID 'spiffe://example.org/ca' has a path; a signing certificate's ID must not (X509-SVID §3.2)") },
        { "intermediate with an invalid SPIFFE ID", new(Leaf(), Ca(new() { UriSans = ["spiffe://EXAMPLE.org"] }), X509SvidError.InvalidSpiffeId,
            "certificate 2 has a URI SAN that is not a valid SPIFFE ID: trust domain must be lower case (SPIFFE-ID §2.1)") },

        // Malformed extensions are errors, never exceptions.
        { "garbage key usage", new(Leaf(new() { OmitKeyUsage = true, ExtraExtensions = [new X509Extension("2.5.29.15", [0x04, 0x01, 0x00], true)] }), Ca(), X509SvidError.MalformedCertificate,
            "certificate 1 is malformed: extension 2.5.29.15 is not valid DER") },
        { "truncated SAN", new(Leaf(new() { UriSans = [], ExtraExtensions = [new X509Extension("2.5.29.17", [0x30, 0x05, 0x86, 0x05, 0x61], false)] }), Ca(), X509SvidError.MalformedCertificate,
            "certificate 1 is malformed: extension 2.5.29.17 is not valid DER") },
        { "non-ASCII URI", new(Leaf(new() { UriSans = [], ExtraExtensions = [new X509Extension("2.5.29.17", [0x30, 0x03, 0x86, 0x01, 0xC3], false)] }), Ca(), X509SvidError.MalformedCertificate,
            "certificate 1 is malformed: extension 2.5.29.17 is not valid DER") },
        { "garbage basic constraints on the intermediate", new(Leaf(), Ca(new() { OmitBasicConstraints = true, ExtraExtensions = [new X509Extension("2.5.29.19", [0x30, 0x03, 0x02, 0x01], true)] }), X509SvidError.MalformedCertificate,
            "certificate 2 is malformed: extension 2.5.29.19 is not valid DER") },
    };

    private static readonly Dictionary<string, (TestCa.Profile Leaf, TestCa.Profile Ca)> AllowedCases = new()
    {
        { "defaults", (Leaf(), Ca()) },
        { "DNS SANs beside the SPIFFE ID (§2)", (Leaf(new() { DnsNames = ["a.example.org", "b.example.org"] }), Ca()) },
        { "keyEncipherment and keyAgreement (§4.3)", (Leaf(new() { KeyUsage = X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.KeyAgreement }), Ca()) },
        { "no extended key usage (§4.4 SHOULD)", (Leaf(new() { ServerAndClientAuth = false }), Ca()) },
        { "no basic constraints on the leaf (cA defaults to false)", (Leaf(new() { OmitBasicConstraints = true }), Ca()) },
        { "critical SAN without subject (§3.1)", (Leaf(new() { Subject = "", UriSans = [], ExtraExtensions = [TestCa.SubjectAltName(["spiffe://example.org/workload"], critical: true)] }), Ca()) },
        { "intermediate without a URI SAN (§3.2 SHOULD)", (Leaf(), Ca(new() { UriSans = [] })) },
        { "intermediate with a non-SPIFFE URI", (Leaf(), Ca(new() { UriSans = ["https://pki.example.com/ca"] })) },
        { "intermediate with key usage not critical", (Leaf(), Ca(new() { KeyUsageCritical = false })) },
    };

    public static TheoryData<string> Violations => [.. ViolationCases.Keys];

    public static TheoryData<string> Allowed => [.. AllowedCases.Keys];

    [Theory]
    [MemberData(nameof(Violations))]
    public void Verify_RuleViolated_ReturnsExactError(string scenario)
    {
        var (leaf, intermediate, error, message) = ViolationCases[scenario];
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate(intermediate);
        using var svid = ca.IssueSvid(profile: leaf);

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.False(result.IsValid, scenario);
        Assert.Equal(error, result.Error);
        Assert.Equal(message, result.Message);
        Assert.True(result.Id.IsZero);
        Assert.Empty(result.VerifiedChain);
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public void ParseRaw_RuleViolated_ThrowsFormatExceptionWithSameMessage(string scenario)
    {
        var (leaf, intermediate, error, message) = ViolationCases[scenario];
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate(intermediate);
        using var svid = ca.IssueSvid(profile: leaf);

        var ex = Assert.Throws<FormatException>(() => X509Svid.ParseRaw(svid.ChainDer, svid.KeyPkcs8));

        Assert.Equal(message, ex.Message);
        Assert.NotEqual(X509SvidError.None, error);
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Verify_AllowedVariation_IsValid(string scenario)
    {
        var (leaf, intermediate) = AllowedCases[scenario];
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate(intermediate);
        using var svid = ca.IssueSvid(profile: leaf);

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.True(result.IsValid, $"{scenario}: {result}");
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/workload"), result.Id);
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void ParseRaw_AllowedVariation_Succeeds(string scenario)
    {
        var (leaf, intermediate) = AllowedCases[scenario];
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate(intermediate);
        using var svid = ca.IssueSvid(profile: leaf);

        using var parsed = X509Svid.ParseRaw(svid.ChainDer, svid.KeyPkcs8);

        Assert.Equal("spiffe://example.org/workload", parsed.Id.ToString());
        Assert.Equal(svid.Leaf, parsed.Certificate);
    }

    private static TestCa.Profile Leaf(TestCa.Profile? profile = null) => profile ?? new TestCa.Profile();

    private static TestCa.Profile Ca(TestCa.Profile? profile = null) => profile ?? new TestCa.Profile();

    private sealed record Violation(TestCa.Profile Leaf, TestCa.Profile Ca, X509SvidError Error, string Message);
}
