namespace Tessera.Hosting.Files;

/// <summary>Another Tessera process of the same kind holds the data directory's lock (see <see cref="DataDirectoryLock"/>).</summary>
internal sealed class DataDirectoryInUseException(string message, Exception innerException) : Exception(message, innerException);
