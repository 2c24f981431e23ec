using System.Security.Cryptography;
using System.Text;
using Tessera.Hosting.Files;
using Tessera.Spiffe.Bundles;
using Tessera.Spiffe.Ids;

namespace Tessera.Agent.NodeAttestation;

/// <summary>
/// What the agent keeps in its data directory between runs: its key (PKCS#8 PEM), its SVID chain (PEM) and its
/// trust domain's bundle (SPIFFE bundle JSON). Every file is written atomically with mode 0600, so a restart
/// needs no new join token while the stored SVID is valid and never reads a torn file.
/// </summary>
internal sealed class AgentStateStore(string dataDir)
{
    public const string KeyFileName = "agent_svid.key";
    public const string ChainFileName = "agent_svid.pem";
    public const string BundleFileName = "bundle.json";

    public string KeyPath { get; } = Path.Combine(dataDir, KeyFileName);

    public string ChainPath { get; } = Path.Combine(dataDir, ChainFileName);

    public string BundlePath { get; } = Path.Combine(dataDir, BundleFileName);

    /// <summary>The stored agent SVID, or null (with the reason) when there is none or it is unreadable.</summary>
    public AgentSvid? LoadSvid(out string? problem)
    {
        problem = null;
        if (!File.Exists(KeyPath) || !File.Exists(ChainPath))
        {
            problem = "no stored agent SVID";
            return null;
        }

        try
        {
            return AgentSvid.Parse(File.ReadAllBytes(ChainPath), File.ReadAllBytes(KeyPath));
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            problem = $"stored agent SVID is unusable: {ex.Message}";
            return null;
        }
    }

    public async Task SaveSvidAsync(AgentSvid svid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(svid);
        var (chainPem, keyPem) = svid.Svid.ExportPem();

        // Key first: a crash between the two writes leaves a new key with the old chain, which LoadSvid
        // rejects as a mismatch (attest again) rather than a chain whose key is lost.
        await AtomicFile.WriteAsync(KeyPath, Encoding.ASCII.GetBytes(keyPem), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAsync(ChainPath, Encoding.ASCII.GetBytes(chainPem), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets the agent SVID (after the server evicted or refused it), keeping the bundle.</summary>
    public void DeleteSvid()
    {
        File.Delete(ChainPath);
        File.Delete(KeyPath);
    }

    public SpiffeBundle? LoadBundle(TrustDomain trustDomain, out string? problem)
    {
        problem = null;
        if (!File.Exists(BundlePath))
        {
            return null;
        }

        try
        {
            return SpiffeBundle.Parse(trustDomain, File.ReadAllBytes(BundlePath));
        }
        catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
        {
            problem = $"stored bundle '{BundlePath}' is unusable: {ex.Message}";
            return null;
        }
    }

    public Task SaveBundleAsync(SpiffeBundle bundle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return AtomicFile.WriteAsync(BundlePath, Encoding.UTF8.GetBytes(bundle.ToJson()), cancellationToken);
    }
}
