using Google.Protobuf;

namespace Tessera.Server.NodeApi;

/// <summary>A freshly issued agent SVID: its serial (as the agent record keeps it), expiry and DER chain, leaf first.</summary>
internal sealed record IssuedAgentSvid(string Serial, DateTimeOffset NotAfter, IReadOnlyList<ByteString> Chain);
