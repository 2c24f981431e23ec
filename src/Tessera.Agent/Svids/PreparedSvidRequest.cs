using Tessera.Agent.Cache;

namespace Tessera.Agent.Svids;

/// <summary>
/// One entry's half of a SignX509Svids request: the CSR sent, the PKCS#8 key kept and its public half as encoded
/// (what the returned leaf must carry), for the entry as it was then.
/// </summary>
internal sealed record PreparedSvidRequest(AgentEntry Entry, byte[] Csr, byte[] KeyPkcs8, byte[] SubjectPublicKeyInfo);
