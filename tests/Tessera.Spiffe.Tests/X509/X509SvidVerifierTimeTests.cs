using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;
using Tessera.Spiffe.X509;

namespace Tessera.Spiffe.Tests.X509;

/// <summary>
/// Validity windows at their exact boundaries. RFC 5280 §4.1.2.5: a certificate is valid from notBefore
/// to notAfter inclusive. ChainPolicy.VerificationTime is a DateTime, so these also pin down that the
/// instant is passed with the right Kind whatever the offset of the DateTimeOffset.
/// </summary>
public sealed class X509SvidVerifierTimeTests : IDisposable
{
    private static readonly DateTimeOffset NotBefore = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset NotAfter = new(2030, 1, 3, 3, 4, 5, TimeSpan.Zero);

    private readonly TestCa _root = TestCa.CreateRoot(profile: new TestCa.Profile
    {
        NotBefore = new DateTimeOffset(2029, 1, 1, 0, 0, 0, TimeSpan.Zero),
        NotAfter = new DateTimeOffset(2040, 1, 1, 0, 0, 0, TimeSpan.Zero),
    });

    private readonly TestCa.Svid _svid;
    private readonly X509Bundle _bundle;

    public X509SvidVerifierTimeTests()
    {
        _svid = _root.IssueSvid(profile: new TestCa.Profile { NotBefore = NotBefore, NotAfter = NotAfter });
        _bundle = new X509Bundle(TrustDomain.Parse("example.org"), [_root.Certificate]);
    }

    [Fact]
    public void Verify_AtNotBefore_IsValid() =>
        Assert.True(X509SvidVerifier.Verify(_svid.Chain, _bundle, NotBefore).IsValid);

    [Fact]
    public void Verify_AtNotAfter_IsValid() =>
        Assert.True(X509SvidVerifier.Verify(_svid.Chain, _bundle, NotAfter).IsValid);

    [Fact]
    public void Verify_OneSecondBeforeNotBefore_ReturnsNotYetValid()
    {
        var result = X509SvidVerifier.Verify(_svid.Chain, _bundle, NotBefore.AddSeconds(-1));

        Assert.Equal(X509SvidError.NotYetValid, result.Error);
        Assert.Equal("certificate 1 of the path is not valid before 2030-01-02T03:04:05.0000000+00:00; verification time is 2030-01-02T03:04:04.0000000+00:00", result.Message);
    }

    [Fact]
    public void Verify_OneSecondAfterNotAfter_ReturnsExpired()
    {
        var result = X509SvidVerifier.Verify(_svid.Chain, _bundle, NotAfter.AddSeconds(1));

        Assert.Equal(X509SvidError.Expired, result.Error);
        Assert.Equal("certificate 1 of the path expired at 2030-01-03T03:04:05.0000000+00:00; verification time is 2030-01-03T03:04:06.0000000+00:00", result.Message);
    }

    [Fact]
    public void Verify_SameInstantWithNonUtcOffset_UsesTheInstantNotTheWallClock()
    {
        // 08:04:06+05:00 is 03:04:06Z, one second after notAfter; read as wall-clock time it would be hours later
        // (still expired), so the opposite boundary is checked too: 08:04:05+05:00 must be valid.
        var offset = TimeSpan.FromHours(5);

        var expired = X509SvidVerifier.Verify(_svid.Chain, _bundle, NotAfter.AddSeconds(1).ToOffset(offset));
        var valid = X509SvidVerifier.Verify(_svid.Chain, _bundle, NotAfter.ToOffset(offset));
        var validStart = X509SvidVerifier.Verify(_svid.Chain, _bundle, NotBefore.ToOffset(-offset));

        Assert.Equal(X509SvidError.Expired, expired.Error);
        Assert.Equal("certificate 1 of the path expired at 2030-01-03T03:04:05.0000000+00:00; verification time is 2030-01-03T03:04:06.0000000+00:00", expired.Message);
        Assert.True(valid.IsValid, valid.ToString());
        Assert.True(validStart.IsValid, validStart.ToString());
    }

    [Fact]
    public void Verify_TimeProvider_UsesItsClock()
    {
        Assert.True(X509SvidVerifier.Verify(_svid.Chain, _bundle, new FixedTimeProvider(NotAfter)).IsValid);
        Assert.Equal(X509SvidError.Expired, X509SvidVerifier.Verify(_svid.Chain, _bundle, new FixedTimeProvider(NotAfter.AddSeconds(1))).Error);
    }

    [Fact]
    public void Verify_ExpiredIntermediate_ReturnsExpiredForCertificate2()
    {
        using var ca = _root.CreateIntermediate(new TestCa.Profile { NotBefore = NotBefore.AddDays(-10), NotAfter = NotBefore.AddDays(-1) });
        using var svid = ca.IssueSvid(profile: new TestCa.Profile { NotBefore = NotBefore, NotAfter = NotAfter });

        var result = X509SvidVerifier.Verify(svid.Chain, _bundle, NotBefore);

        Assert.Equal(X509SvidError.Expired, result.Error);
        Assert.Equal("certificate 2 of the path expired at 2030-01-01T03:04:05.0000000+00:00; verification time is 2030-01-02T03:04:05.0000000+00:00", result.Message);
    }

    public void Dispose()
    {
        _svid.Dispose();
        _root.Dispose();
    }
}
