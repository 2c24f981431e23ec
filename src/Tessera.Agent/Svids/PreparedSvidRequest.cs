using Tessera.Agent.Cache;

namespace Tessera.Agent.Svids;

/// <summary>One entry's half of a SignX509Svids request: the CSR sent and the PKCS#8 key kept, for the entry as it was then.</summary>
internal sealed record PreparedSvidRequest(AgentEntry Entry, byte[] Csr, byte[] KeyPkcs8);
