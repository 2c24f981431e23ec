using System.Text;

namespace Tessera.Agent.NodeAttestation.JoinToken;

/// <summary>join_token: sends the single-use token; the server derives the agent's ID from it. No challenge.</summary>
internal sealed class JoinTokenAttestorClient(string token) : INodeAttestorClient
{
    public string Type => "join_token";

    public byte[] Payload { get; } = Encoding.UTF8.GetBytes(token);

    public byte[]? AnswerChallenge(ReadOnlySpan<byte> nonce) => null;
}
