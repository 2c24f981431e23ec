using System.Security.Cryptography.X509Certificates;
using Tessera.Server.Ca;
using Tessera.Server.Ca.Journal.File;
using Tessera.Server.Ca.Rotation;
using Tessera.Server.KeyManagers.Disk;
using Tessera.Spiffe.Jwt;
using Tessera.Spiffe.X509;

namespace Tessera.Server.Tests.Ca;

/// <summary>The CA's emergency operations: rotate at once, taint, remove; persisted through restarts; CRLs per key.</summary>
public sealed class CaEmergencyRotationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task RotateNowAsync_X509_NewKeySignsTaintedKeyStaysInBundle_SurvivesRestart()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CreateAsync(clock);
        using var before = ca.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey())[0];
        var sequence = ca.Bundle.Sequence;

        var (tainted, activated) = await ca.RotateNowAsync(CaKeyKind.X509, CancellationToken.None);
        using var after = ca.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey())[0];

        Assert.NotEqual(tainted, activated);
        Assert.Equal(sequence + 1, ca.Bundle.Sequence);
        Assert.Equal(2, ca.X509Bundle.Authorities.Count);
        Assert.NotEqual(CertificateAuthority.AuthorityKeyIdentifier(before), CertificateAuthority.AuthorityKeyIdentifier(after));
        Assert.True(X509SvidVerifier.Verify([before], ca.X509Bundle, clock.GetUtcNow()).IsValid);
        Assert.True(X509SvidVerifier.Verify([after], ca.X509Bundle, clock.GetUtcNow()).IsValid);
        var taint = Assert.Single(ca.TaintedAuthorities);
        Assert.Equal((CaKeyKind.X509, tainted, CertificateAuthority.AuthorityKeyIdentifier(before), clock.GetUtcNow()), (taint.Kind, taint.KeyId, taint.Identifier, taint.TaintedAt));

        // Restart: the taint is journaled, the new key keeps signing, the tainted one is never promoted back.
        using var restarted = await CreateAsync(clock);
        Assert.Equal(ca.TaintedAuthorities, restarted.TaintedAuthorities);
        Assert.Equal(activated, restarted.X509Keys.Single(k => k.Status == KeyStatus.Active).KeyId);
        using var third = restarted.SignX509Svid(CaTests.Workload, CaTests.NewPublicKey())[0];
        Assert.Equal(CertificateAuthority.AuthorityKeyIdentifier(after), CertificateAuthority.AuthorityKeyIdentifier(third));
    }

    [Fact]
    public async Task RotateNowAsync_PreparedKeyExists_ItIsTheOneActivated()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CreateAsync(clock);
        clock.Advance(TimeSpan.FromHours(13));
        await ca.TickAsync(CancellationToken.None);
        var prepared = ca.JwtKeys.Single(k => k.Status == KeyStatus.Prepared).KeyId;

        var (_, activated) = await ca.RotateNowAsync(CaKeyKind.Jwt, CancellationToken.None);

        Assert.Equal(prepared, activated);
        var token = ca.SignJwtSvid(CaTests.Workload, ["aud"]);
        Assert.True(JwtSvidValidator.Validate(token, ca.JwtBundle, "aud", clock.GetUtcNow(), TimeSpan.Zero).IsValid);
        Assert.Contains($"\"kid\":\"{activated}\"", System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Pad(token.Split('.')[0]))), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TaintAsync_ActiveKey_RotatesFirst_RemoveAsync_DropsItFromTheBundle()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CreateAsync(clock);
        var active = ca.JwtKeys.Single().KeyId;

        var activated = await ca.TaintAsync(active, CancellationToken.None);
        Assert.NotNull(activated);
        Assert.True(ca.JwtKeys.Single(k => k.KeyId == active).IsTainted);
        Assert.Equal(2, ca.JwtBundle.Authorities.Count);

        var ex = await Assert.ThrowsAsync<CaKeyOperationException>(() => ca.RemoveAsync(activated!, CancellationToken.None));
        Assert.Equal($"key '{activated}' is the active key and cannot be removed; rotate first (tessera ca rotate --now)", ex.Message);
        await ca.RemoveAsync(active, CancellationToken.None);
        Assert.Equal([activated], ca.JwtBundle.Authorities.Select(a => a.KeyId));
        Assert.Empty(ca.TaintedAuthorities);
        Assert.Equal(2, Directory.GetFiles(_temp.File("keys")).Length); // the removed key is gone from the key manager too
    }

    [Fact]
    public async Task SignCrls_AfterRotation_OnePerKeyThatMayHaveSignedAnSvid_ActiveFirst()
    {
        var clock = ManualClock.AtEpoch();
        using var ca = await CreateAsync(clock);
        clock.Advance(TimeSpan.FromHours(13));
        await ca.TickAsync(CancellationToken.None); // a prepared key: it signed nothing, so it gets no CRL
        Assert.Single(ca.SignCrls(new CertificateRevocationListBuilder(), 1, clock.GetUtcNow(), clock.GetUtcNow().AddHours(1)));

        await ca.RotateNowAsync(CaKeyKind.X509, CancellationToken.None);
        var crls = ca.SignCrls(new CertificateRevocationListBuilder(), 2, clock.GetUtcNow(), clock.GetUtcNow().AddHours(1));

        Assert.Equal(2, crls.Count);
        Assert.Equal(AkiOfCrl(crls[0]), CertificateAuthority.SubjectKeyIdentifier(ca.X509Keys.Single(k => k.Status == KeyStatus.Active)));
        Assert.Equal(AkiOfCrl(crls[1]), CertificateAuthority.SubjectKeyIdentifier(ca.X509Keys.Single(k => k.IsTainted)));
    }

    public void Dispose() => _temp.Dispose();

    private Task<CertificateAuthority> CreateAsync(ManualClock clock) =>
        CaTests.CreateAsync(clock, keys: new DiskKeyManager(_temp.File("keys")), journal: new FileCaJournal(_temp.File("ca/journal.json")));

    // RFC 5280 §5.2.1: the CRL's authority key identifier extension names the issuing CA's key.
    private static string AkiOfCrl(byte[] der)
    {
        var marker = new byte[] { 0x06, 0x03, 0x55, 0x1D, 0x23 }; // OID 2.5.29.35
        var at = der.AsSpan().IndexOf(marker);
        Assert.True(at > 0, "the CRL has no authority key identifier");
        var extension = new X509Extension("2.5.29.35", ReadOctetString(der, at + marker.Length), critical: false);
        return Convert.ToHexString(new X509AuthorityKeyIdentifierExtension(extension.RawData).KeyIdentifier!.Value.Span);
    }

    private static byte[] ReadOctetString(byte[] der, int offset)
    {
        var reader = new System.Formats.Asn1.AsnReader(der.AsMemory(offset), System.Formats.Asn1.AsnEncodingRules.DER);
        return reader.ReadOctetString();
    }

    private static string Pad(string s)
    {
        s = s.Replace('-', '+').Replace('_', '/');
        return s + new string('=', (4 - (s.Length % 4)) % 4);
    }
}
