namespace Tessera.Spiffe.Tls.Internal;

/// <summary>One CA certificate of a verified chain: its subject key identifier (upper-case hex) and subject.</summary>
internal readonly record struct ChainAuthority(string KeyId, string Subject);
