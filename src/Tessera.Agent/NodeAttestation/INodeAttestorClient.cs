namespace Tessera.Agent.NodeAttestation;

/// <summary>
/// The agent's half of one node attestation method: what it sends first (<see cref="Type"/> and
/// <see cref="Payload"/>) and how it answers a server challenge. Implementations live in sub-folders.
/// </summary>
internal interface INodeAttestorClient
{
    /// <summary><c>join_token</c>, <c>x509pop</c>… as in <c>AttestParams.type</c>.</summary>
    string Type { get; }

    /// <summary>The <c>AttestParams.payload</c> bytes.</summary>
    byte[] Payload { get; }

    /// <summary>Answers a challenge, or returns null when this method expects none (the attestation then fails).</summary>
    byte[]? AnswerChallenge(ReadOnlySpan<byte> nonce);
}
