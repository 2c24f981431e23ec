using System.Globalization;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Spiffe.Tests.X509;

/// <summary>
/// A small PKI made by the <c>openssl</c> CLI at test time: a root and an intermediate for example.org and an
/// unrelated root, all in a temp folder, with <c>openssl ca</c> issuing leaves (it takes -startdate/-enddate,
/// which OpenSSL 3.0's <c>x509</c> command lacks). Shared by the tests of one class (xunit class fixture).
/// </summary>
public sealed class OpenSslPki : IAsyncLifetime, IDisposable
{
    private const string Config = """
        [ ca ]
        default_ca = tessera_ca
        [ tessera_ca ]
        database = index.txt
        new_certs_dir = .
        serial = serial
        default_md = sha256
        policy = any
        unique_subject = no
        copy_extensions = none
        [ any ]
        commonName = optional
        [ req ]
        distinguished_name = dn
        prompt = no
        [ dn ]
        CN = unused
        [ root_ext ]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        subjectAltName = URI:spiffe://example.org
        [ intermediate_ext ]
        basicConstraints = critical,CA:TRUE
        keyUsage = critical,keyCertSign,cRLSign
        subjectKeyIdentifier = hash
        authorityKeyIdentifier = keyid
        subjectAltName = URI:spiffe://example.org

        """;

    private readonly TempDirectory _dir = new();
    private int _leaves;

    /// <summary>Gets the output of <c>openssl version</c>.</summary>
    public string Version { get; private set; } = string.Empty;

    public string RootPem => _dir.File("root.pem");

    public string IntermediatePem => _dir.File("intermediate.pem");

    public string OtherRootPem => _dir.File("other-root.pem");

    public X509Bundle Bundle => X509Bundle.Load(TrustDomain.Parse("example.org"), RootPem);

    public string Path => _dir.Path;

    public async Task InitializeAsync()
    {
        Version = (await OpenSsl("version")).StdOut.Trim();
        await File.WriteAllTextAsync(_dir.File("ca.cnf"), Config);
        await File.WriteAllTextAsync(_dir.File("index.txt"), string.Empty);
        await File.WriteAllTextAsync(_dir.File("serial"), "1000\n");
        await NewKey("root.key");
        await OpenSsl("req", "-x509", "-new", "-key", "root.key", "-subj", "/CN=OpenSSL Root", "-config", "ca.cnf", "-extensions", "root_ext", "-days", "3650", "-out", "root.pem");
        await NewKey("other-root.key");
        await OpenSsl("req", "-x509", "-new", "-key", "other-root.key", "-subj", "/CN=OpenSSL Root", "-config", "ca.cnf", "-extensions", "root_ext", "-days", "3650", "-out", "other-root.pem");
        await NewKey("intermediate.key");
        await OpenSsl("req", "-new", "-key", "intermediate.key", "-subj", "/CN=OpenSSL Intermediate", "-config", "ca.cnf", "-out", "intermediate.csr");
        await OpenSsl("ca", "-batch", "-notext", "-config", "ca.cnf", "-cert", "root.pem", "-keyfile", "root.key", "-extensions", "intermediate_ext", "-days", "365", "-in", "intermediate.csr", "-out", "intermediate.pem");
    }

    /// <summary>
    /// Issues a leaf from the intermediate with the given extension lines (openssl x509v3_config syntax) and
    /// returns the paths of its chain file (leaf + intermediate, PEM) and its PKCS#8 key.
    /// </summary>
    public async Task<(string ChainPath, string KeyPath)> IssueLeafAsync(string extensions, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        var name = $"leaf{Interlocked.Increment(ref _leaves)}";
        await File.WriteAllTextAsync(_dir.File($"{name}.cnf"), Config + $"[ leaf_ext ]\n{extensions}\n");
        await NewKey($"{name}.key");
        await OpenSsl("req", "-new", "-key", $"{name}.key", "-subj", "/CN=OpenSSL Leaf", "-config", $"{name}.cnf", "-out", $"{name}.csr");
        // The default window starts an hour back: 'openssl ca -days' would start it at this very second, after
        // the verification time a test picked a moment ago.
        notBefore ??= DateTimeOffset.UtcNow.AddHours(-1);
        notAfter ??= DateTimeOffset.UtcNow.AddDays(1);
        List<string> validity = ["-startdate", Asn1Time(notBefore.Value), "-enddate", Asn1Time(notAfter.Value)];
        await OpenSsl(["ca", "-batch", "-notext", "-config", $"{name}.cnf", "-cert", "intermediate.pem", "-keyfile", "intermediate.key",
            "-extensions", "leaf_ext", .. validity, "-in", $"{name}.csr", "-out", $"{name}.pem"]);
        var chainPath = _dir.File($"{name}-chain.pem");
        await File.WriteAllTextAsync(chainPath, await File.ReadAllTextAsync(_dir.File($"{name}.pem")) + await File.ReadAllTextAsync(IntermediatePem));
        return (chainPath, _dir.File($"{name}.key"));
    }

    /// <summary>Runs openssl in the PKI folder and returns its result (without checking the exit code).</summary>
    internal Task<ExternalTool.Result> RunAsync(params string[] arguments) =>
        ExternalTool.RunAsync("openssl", arguments, workingDirectory: _dir.Path);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _dir.Dispose();

    private static string Asn1Time(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "Z";

    private Task<ExternalTool.Result> NewKey(string file) =>
        OpenSsl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file);

    private async Task<ExternalTool.Result> OpenSsl(params string[] arguments) =>
        (await RunAsync(arguments)).EnsureSuccess($"openssl {arguments[0]}");
}
