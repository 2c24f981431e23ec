namespace Tessera.Server.Attestation;

/// <summary>
/// The evidence of one attestation attempt and the way back to the agent: <see cref="ChallengeAsync"/> sends a
/// challenge on this attempt's stream and returns the agent's answer (null if the agent sent something else or
/// closed the stream).
/// </summary>
internal sealed record AttestationRequest(ReadOnlyMemory<byte> Payload, Func<ReadOnlyMemory<byte>, CancellationToken, Task<byte[]?>> ChallengeAsync);
