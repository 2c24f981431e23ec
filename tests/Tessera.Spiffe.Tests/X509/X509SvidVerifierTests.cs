using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tests.X509;

public sealed class X509SvidVerifierTests
{
    private static readonly TrustDomain ExampleOrg = TrustDomain.Parse("example.org");
    private static readonly TrustDomain OtherOrg = TrustDomain.Parse("other.org");

    [Fact]
    public void Verify_RootIntermediateLeaf_ReturnsIdAndPathToAnchor()
    {
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate();
        using var svid = ca.IssueSvid("/payments/api");
        var bundle = new X509Bundle(ExampleOrg, [root.Certificate]);

        var result = X509SvidVerifier.Verify(svid.Chain, bundle, DateTimeOffset.UtcNow);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(X509SvidError.None, result.Error);
        Assert.Null(result.Message);
        Assert.Equal(SpiffeId.Parse("spiffe://example.org/payments/api"), result.Id);
        Assert.Equal(3, result.VerifiedChain.Count);
        Assert.Same(svid.Chain[0], result.VerifiedChain[0]);
        Assert.Same(svid.Chain[1], result.VerifiedChain[1]);
        Assert.Same(root.Certificate, result.VerifiedChain[2]);
    }

    [Fact]
    public void Verify_Twice_LeavesCallerAndBundleCertificatesUsable()
    {
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate();
        using var svid = ca.IssueSvid();
        var bundle = new X509Bundle(ExampleOrg, [root.Certificate]);

        var first = X509SvidVerifier.Verify(svid.Chain, bundle, DateTimeOffset.UtcNow);
        var second = X509SvidVerifier.Verify(svid.Chain, bundle, DateTimeOffset.UtcNow);

        Assert.True(first.IsValid && second.IsValid, $"{first} / {second}");
        Assert.All(second.VerifiedChain, c => Assert.NotEmpty(c.RawData));
        Assert.Equal("CN=Test Workload", svid.Chain[0].Subject);
    }

    [Fact]
    public void Verify_NameConstraintPermitsTrustDomain_IsValid()
    {
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate(new TestCa.Profile { ExtraExtensions = [UriNameConstraint("example.org")] });
        using var svid = ca.IssueSvid();

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void Verify_NameConstraintExcludesTrustDomain_ReturnsInvalidPath()
    {
        // X509-SVID §4.2: URI name constraints limit a signing certificate to trust domains; OpenSSL (under
        // X509Chain on Linux) enforces them on the host of URI SANs.
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate(new TestCa.Profile { ExtraExtensions = [UriNameConstraint("other.org")] });
        using var svid = ca.IssueSvid();

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.InvalidPath, result.Error);
        Assert.Equal("certificate path is invalid (RFC 5280 §6): HasNotPermittedNameConstraint", result.Message);
    }

    [Fact]
    public void Verify_ChainIncludingRoot_IsValid()
    {
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate();
        using var svid = ca.IssueSvid();

        var result = X509SvidVerifier.Verify([.. svid.Chain, root.Certificate], new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(3, result.VerifiedChain.Count);
    }

    [Fact]
    public void Verify_LeafIssuedByRoot_IsValid()
    {
        using var root = TestCa.CreateRoot();
        using var svid = root.IssueSvid();

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(2, result.VerifiedChain.Count);
    }

    [Fact]
    public void Verify_TwoIntermediates_IsValid()
    {
        using var root = TestCa.CreateRoot();
        using var ca1 = root.CreateIntermediate();
        using var ca2 = ca1.CreateIntermediate();
        using var svid = ca2.IssueSvid();

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(4, result.VerifiedChain.Count);
    }

    [Fact]
    public void Verify_NonSelfSignedIntermediateInBundle_IsValidAnchor()
    {
        // go-spiffe treats every bundle certificate as a root. On Linux X509Chain reports PartialChain for a
        // path ending in a non-self-signed custom trust anchor; the verifier accepts that flag alone.
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate();
        using var svid = ca.IssueSvid();

        var result = X509SvidVerifier.Verify([svid.Chain[0]], new X509Bundle(ExampleOrg, [ca.Certificate]), DateTimeOffset.UtcNow);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal([svid.Chain[0], ca.Certificate], result.VerifiedChain);
    }

    [Fact]
    public void Verify_NonSelfSignedAnchorWithForgedLookalike_ReturnsBadSignature()
    {
        // The PartialChain allowance must not skip signatures: an anchor with the issuer's name and key id
        // but another key must not validate the leaf.
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate();
        using var svid = ca.IssueSvid();
        using var forged = root.CreateIntermediate(new TestCa.Profile { SubjectKeyIdentifier = SubjectKeyId(ca.Certificate) });

        var result = X509SvidVerifier.Verify([svid.Chain[0]], new X509Bundle(ExampleOrg, [forged.Certificate]), DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.BadSignature, result.Error);
        Assert.Equal("the signature of certificate 1 of the path does not verify", result.Message);
    }

    [Fact]
    public void Verify_ForgedRootLookalike_ReturnsBadSignature()
    {
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate();
        using var svid = ca.IssueSvid();
        using var forged = TestCa.CreateRoot(profile: new TestCa.Profile { SubjectKeyIdentifier = SubjectKeyId(root.Certificate) });

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, [forged.Certificate]), DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.BadSignature, result.Error);
        Assert.Equal("the signature of certificate 2 of the path does not verify", result.Message);
    }

    [Fact]
    public void Verify_EmptyChain_ReturnsEmptyChain()
    {
        using var root = TestCa.CreateRoot();

        var result = X509SvidVerifier.Verify([], new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.EmptyChain, result.Error);
        Assert.Equal("chain contains no certificate; an X509-SVID needs at least the leaf certificate", result.Message);
    }

    [Fact]
    public void Verify_NoBundleForTrustDomain_ReturnsBundleNotFound()
    {
        using var root = TestCa.CreateRoot("other.org");
        using var svid = root.IssueSvid();

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.BundleNotFound, result.Error);
        Assert.Equal("no X.509 bundle found for trust domain 'other.org'", result.Message);
    }

    [Fact]
    public void Verify_EmptyBundle_ReturnsEmptyBundle()
    {
        using var root = TestCa.CreateRoot();
        using var svid = root.IssueSvid();

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, []), DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.EmptyBundle, result.Error);
        Assert.Equal("X.509 bundle for trust domain 'example.org' holds no authority; it trusts no X509-SVID", result.Message);
    }

    [Fact]
    public void Verify_UnknownRoot_ReturnsUnknownAuthority()
    {
        using var root = TestCa.CreateRoot();
        using var otherRoot = TestCa.CreateRoot();
        using var svid = root.CreateIntermediate().IssueSvid();

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, [otherRoot.Certificate]), DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.UnknownAuthority, result.Error);
        Assert.Equal("certificate chain does not lead to an authority in the X.509 bundle of trust domain 'example.org'", result.Message);
    }

    [Fact]
    public void Verify_MissingIntermediate_ReturnsUnknownAuthority()
    {
        using var root = TestCa.CreateRoot();
        using var ca = root.CreateIntermediate();
        using var svid = ca.IssueSvid();

        var result = X509SvidVerifier.Verify([svid.Chain[0]], new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.UnknownAuthority, result.Error);
        Assert.Equal("certificate chain does not lead to an authority in the X.509 bundle of trust domain 'example.org'", result.Message);
    }

    [Fact]
    public void Verify_LeafOfOtherTrustDomainSignedByTrustedCa_ReturnsUnknownAuthority()
    {
        // The CA of example.org mints an ID in other.org: the other.org bundle decides, and it does not trust it.
        using var exampleRoot = TestCa.CreateRoot();
        using var otherRoot = TestCa.CreateRoot("other.org");
        using var svid = exampleRoot.IssueSvid(profile: new TestCa.Profile { UriSans = ["spiffe://other.org/workload"] });
        var bundles = new BundleSet(new SpiffeBundle(ExampleOrg, new X509Bundle(ExampleOrg, [exampleRoot.Certificate])), new SpiffeBundle(OtherOrg, new X509Bundle(OtherOrg, [otherRoot.Certificate])));

        var result = X509SvidVerifier.Verify(svid.Chain, bundles, DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.UnknownAuthority, result.Error);
        Assert.Equal("certificate chain does not lead to an authority in the X.509 bundle of trust domain 'other.org'", result.Message);
    }

    [Fact]
    public void Verify_SelfSignedLeafInBundle_ReturnsUnknownAuthority()
    {
        using var selfSigned = TestCa.CreateRoot(profile: new TestCa.Profile
        {
            IsCa = false,
            KeyUsage = X509KeyUsageFlags.DigitalSignature,
            UriSans = ["spiffe://example.org/workload"],
        });

        var result = X509SvidVerifier.Verify([selfSigned.Certificate], new X509Bundle(ExampleOrg, [selfSigned.Certificate]), DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.UnknownAuthority, result.Error);
        Assert.Equal("certificate chain does not lead to an authority in the X.509 bundle of trust domain 'example.org'", result.Message);
    }

    [Fact]
    public void Verify_RootNotCa_ReturnsInvalidPath()
    {
        using var root = TestCa.CreateRoot(profile: new TestCa.Profile { IsCa = false });
        using var svid = root.IssueSvid();

        var result = X509SvidVerifier.Verify(svid.Chain, new X509Bundle(ExampleOrg, [root.Certificate]), DateTimeOffset.UtcNow);

        Assert.Equal(X509SvidError.InvalidPath, result.Error);
        Assert.Equal("certificate path is invalid (RFC 5280 §6): InvalidBasicConstraints", result.Message);
    }

    [Fact]
    public void Verify_NullArguments_Throw()
    {
        using var root = TestCa.CreateRoot();
        var bundle = new X509Bundle(ExampleOrg, [root.Certificate]);

        Assert.Throws<ArgumentNullException>(() => X509SvidVerifier.Verify(null!, bundle, DateTimeOffset.UtcNow));
        Assert.Throws<ArgumentNullException>(() => X509SvidVerifier.Verify([], null!, DateTimeOffset.UtcNow));
        Assert.Throws<ArgumentNullException>(() => X509SvidVerifier.Verify([null!], bundle, DateTimeOffset.UtcNow));
        Assert.Throws<ArgumentNullException>(() => X509SvidVerifier.Verify([], bundle, (TimeProvider)null!));
    }

    // NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees } with one URI base (RFC 5280 §4.2.1.10).
    private static X509Extension UriNameConstraint(string host)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                using (writer.PushSequence())
                {
                    writer.WriteCharacterString(UniversalTagNumber.IA5String, host, new Asn1Tag(TagClass.ContextSpecific, 6));
                }
            }
        }

        return new X509Extension("2.5.29.30", writer.Encode(), critical: true);
    }

    private static byte[] SubjectKeyId(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single().SubjectKeyIdentifierBytes.ToArray();
}
