namespace Tessera.Server.Tests;

public sealed class ServerDefaultsTests
{
    [Fact]
    public void Defaults_MatchSpire()
    {
        Assert.Equal(TimeSpan.FromHours(24), ServerDefaults.CaTtl);
        Assert.Equal(TimeSpan.FromHours(1), ServerDefaults.X509SvidTtl);
        Assert.Equal(TimeSpan.FromMinutes(5), ServerDefaults.JwtSvidTtl);
    }
}
