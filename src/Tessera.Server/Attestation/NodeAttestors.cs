namespace Tessera.Server.Attestation;

/// <summary>The attestors this server offers, by type. A later registration of the same type replaces an earlier one.</summary>
internal sealed class NodeAttestors(IEnumerable<INodeAttestor> attestors)
{
    private readonly Dictionary<string, INodeAttestor> _byType = attestors.GroupBy(a => a.Type, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    /// <summary>Returns the attestor for <paramref name="type"/>, or null when this server does not offer it.</summary>
    public INodeAttestor? Find(string type) => _byType.GetValueOrDefault(type);

    /// <summary>The offered types, for error messages (e.g. <c>join_token, x509pop</c>).</summary>
    public string Describe() => string.Join(", ", _byType.Keys.Order(StringComparer.Ordinal));
}
