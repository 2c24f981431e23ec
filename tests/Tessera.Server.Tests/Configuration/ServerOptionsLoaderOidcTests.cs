using Tessera.Server.Configuration;

namespace Tessera.Server.Tests.Configuration;

/// <summary>The OIDC settings: oidc_address, oidc_tls_cert_file, oidc_tls_key_file, jwt_issuer.</summary>
public sealed class ServerOptionsLoaderOidcTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_NoSettings_NoListenerAndNoIssuer()
    {
        var options = Load([]);

        Assert.Null(options.OidcAddress);
        Assert.Null(options.JwtIssuer);
    }

    [Fact]
    public void Load_AddressOnly_IssuerIsTheListenersHttpUrl()
    {
        var options = Load(new() { ["oidc_address"] = "127.0.0.1:8443" });

        Assert.Equal("127.0.0.1:8443", options.OidcAddress);
        Assert.Equal("http://127.0.0.1:8443", options.JwtIssuer);
    }

    [Fact]
    public void Load_IssuerGiven_TrailingSlashDroppedAndUsedWithoutListener()
    {
        var options = Load(new() { ["jwt_issuer"] = "https://oidc.example.org/" });

        Assert.Null(options.OidcAddress);
        Assert.Equal("https://oidc.example.org", options.JwtIssuer);
    }

    [Fact]
    public void Load_BadOidcSettings_EveryProblemListed()
    {
        var ex = Assert.Throws<ServerConfigurationException>(() => Load(new()
        {
            ["oidc_address"] = "oidc.example.org:443",
            ["oidc_tls_cert_file"] = "absent.pem",
            ["jwt_issuer"] = "https://oidc.example.org/?tenant=1",
        }));

        Assert.Contains("oidc_address: 'oidc.example.org:443' is not ip:port or localhost:port (e.g. 127.0.0.1:8443)", ex.Problems);
        Assert.Contains("oidc_tls_cert_file and oidc_tls_key_file: give both or neither", ex.Problems);
        Assert.Contains($"oidc_tls_cert_file: '{_dir.File("absent.pem")}' does not exist", ex.Problems);
        Assert.Contains("jwt_issuer: 'https://oidc.example.org/?tenant=1' is not an absolute http(s) URL without query or fragment (e.g. https://oidc.example.org)", ex.Problems);
    }

    [Fact]
    public void Load_TlsWithoutListener_Problem()
    {
        File.WriteAllText(_dir.File("c.pem"), "x");
        File.WriteAllText(_dir.File("k.pem"), "x");

        var ex = Assert.Throws<ServerConfigurationException>(() => Load(new() { ["oidc_tls_cert_file"] = "c.pem", ["oidc_tls_key_file"] = "k.pem" }));

        Assert.Equal(["oidc_tls_cert_file: set oidc_address too; the certificate is for the OIDC listener"], ex.Problems);
    }

    private ServerOptions Load(Dictionary<string, string> flags) =>
        ServerOptionsLoader.Load(null, flags, new Dictionary<string, string?>(), _dir.Path);
}
