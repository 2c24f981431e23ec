using Tessera.Hosting.Configuration;

namespace Tessera.Server.Tests.Configuration;

/// <summary>The config file → environment → flags layering the server and the agent share.</summary>
public sealed class LayeredSettingsTests : IDisposable
{
    private const string Prefix = "TESSERA_TEST_";
    private static readonly HashSet<string> Keys = new(StringComparer.Ordinal) { "trust_domain", "data_dir", "health_address" };
    private static readonly Dictionary<string, string> NoFlags = [];
    private static readonly Dictionary<string, string?> NoEnvironment = [];
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Collect_FileThenEnvironmentThenFlags_LaterWins()
    {
        File.WriteAllText(_dir.File("c.yaml"), "trust_domain: file.example\ndata_dir: /file\nhealth_address: 127.0.0.1:1\n");
        var environment = new Dictionary<string, string?> { ["TESSERA_TEST_DATA_DIR"] = "/env", ["TESSERA_TEST_HEALTH_ADDRESS"] = "127.0.0.1:2" };
        var flags = new Dictionary<string, string> { ["health_address"] = "127.0.0.1:3" };
        var problems = new List<string>();

        var values = LayeredSettings.Collect(_dir.File("c.yaml"), Keys, environment, Prefix, flags, problems);

        Assert.Empty(problems);
        Assert.Equal(
            new Dictionary<string, string> { ["trust_domain"] = "file.example", ["data_dir"] = "/env", ["health_address"] = "127.0.0.1:3" },
            values);
    }

    [Fact]
    public void Collect_OtherPrefixOrNullValue_Ignored()
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = "/bin", ["TESSERA_OTHER_DATA_DIR"] = "/x", ["TESSERA_TEST_DATA_DIR"] = null };
        var problems = new List<string>();

        var values = LayeredSettings.Collect(null, Keys, environment, Prefix, NoFlags, problems);

        Assert.Empty(values);
        Assert.Empty(problems);
    }

    [Fact]
    public void Collect_UnknownEnvironmentSetting_Problem()
    {
        var environment = new Dictionary<string, string?> { ["TESSERA_TEST_TRUST_DOMIAN"] = "typo.example" };
        var problems = new List<string>();

        var values = LayeredSettings.Collect(null, Keys, environment, Prefix, NoFlags, problems);

        Assert.Empty(values);
        Assert.Equal(["environment variable TESSERA_TEST_TRUST_DOMIAN: unknown setting 'trust_domian'"], problems);
    }

    [Fact]
    public void Collect_UnknownFileSetting_ProblemAndOthersKept()
    {
        File.WriteAllText(_dir.File("c.yaml"), "trust_domain: file.example\nadmin_sokcet: /x\n");
        var problems = new List<string>();

        var values = LayeredSettings.Collect(_dir.File("c.yaml"), Keys, NoEnvironment, Prefix, NoFlags, problems);

        Assert.Equal(new Dictionary<string, string> { ["trust_domain"] = "file.example" }, values);
        Assert.Equal([$"config file '{_dir.File("c.yaml")}': unknown setting 'admin_sokcet'"], problems);
    }
}
