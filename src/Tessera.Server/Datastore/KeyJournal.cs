namespace Tessera.Server.Datastore;

/// <summary>The opaque rotation journal of one key kind (e.g. <c>x509-ca</c>, <c>jwt</c>) and its version.</summary>
internal sealed record KeyJournal(string Kind, ReadOnlyMemory<byte> Data, long Version);
