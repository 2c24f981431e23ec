using Tessera.Server.Ca;
using Tessera.Server.KeyManagers;

namespace Tessera.Server.Tests.Ca;

public sealed class CaOptionsTests
{
    [Fact]
    public void Validate_Defaults_SpireValuesAndNoProblem()
    {
        var options = CaTests.Options;
        Assert.Empty(options.Validate());
        Assert.Equal(TimeSpan.FromHours(24), options.CaTtl);
        Assert.Equal(TimeSpan.FromHours(1), options.X509SvidTtl);
        Assert.Equal(TimeSpan.FromMinutes(5), options.JwtSvidTtl);
        Assert.Equal(KeyType.EcP256, options.JwtKeyType);
    }

    [Fact]
    public void Validate_ManyProblems_ListsEveryOne()
    {
        var options = new CaOptions
        {
            CaTtl = TimeSpan.FromHours(6),
            X509SvidTtl = TimeSpan.FromHours(2),
            JwtSvidTtl = TimeSpan.Zero,
            X509KeyType = KeyType.Rsa2048,
            JwtKeyType = (KeyType)42,
            UpstreamCertificatePath = "/nonexistent/upstream.pem",
        };

        Assert.Equal(
            [
                "trust_domain is required (e.g. 'example.org')",
                "x509_svid_ttl 02:00:00 is longer than ca_ttl / 6 (01:00:00); raise ca_ttl or lower x509_svid_ttl",
                "jwt_svid_ttl 00:00:00 is too short; use at least 00:00:01",
                "x509_key_type Rsa2048 is not supported for the CA; use EcP256 or EcP384",
                "jwt_key_type 42 is unknown; use EcP256, EcP384 or Rsa2048",
                "upstream authority needs both upstream_certificate_path and upstream_key_path, or neither",
                "upstream_certificate_path '/nonexistent/upstream.pem' does not exist",
            ],
            options.Validate());
    }

    [Fact]
    public async Task CreateAsync_InvalidOptions_ThrowsListingAllProblems()
    {
        var options = CaTests.Options with { CaTtl = TimeSpan.FromSeconds(30), JwtSvidTtl = TimeSpan.FromHours(1) };
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => CaTests.CreateAsync(ManualClock.AtEpoch(), options));
        Assert.Equal(
            "invalid CA configuration:\n"
            + " - ca_ttl 00:00:30 is too short; use at least 1 minute (default 1.00:00:00)\n"
            + " - x509_svid_ttl 01:00:00 is longer than ca_ttl / 6 (00:00:05); raise ca_ttl or lower x509_svid_ttl\n"
            + " - jwt_svid_ttl 01:00:00 is longer than ca_ttl / 6 (00:00:05); raise ca_ttl or lower jwt_svid_ttl",
            ex.Message);
    }
}
