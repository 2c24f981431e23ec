namespace Tessera.Server.Hosting;

/// <summary>
/// Another Tessera server already holds this datastore. Two servers on one CA journal would
/// each drop the other's keys as missing and rewrite the journal, so the second refuses to start instead.
/// </summary>
internal sealed class ServerAlreadyRunningException(string message) : Exception(message);
