using Tessera.Agent.Configuration;
using Tessera.Agent.NodeAttestation.JoinToken;
using Tessera.Agent.NodeAttestation.X509Pop;

namespace Tessera.Agent.NodeAttestation;

/// <summary>Picks the node attestor the configuration names (the loader has made sure at most one is).</summary>
internal static class NodeAttestorFactory
{
    /// <exception cref="AgentConfigurationException">The x509pop files are unusable.</exception>
    public static INodeAttestorClient? Create(AgentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.JoinToken is { } token)
        {
            return new JoinTokenAttestorClient(token);
        }

        if (options is { X509PopCertFile: { } cert, X509PopKeyFile: { } key })
        {
            try
            {
                return X509PopAttestorClient.Load(cert, key);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new AgentConfigurationException([ex.Message]);
            }
        }

        return null;
    }
}
