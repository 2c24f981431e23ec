namespace Tessera.Server.Federation;

/// <summary>A bundle endpoint could not be reached, failed authentication or answered with something other than a bundle.</summary>
internal sealed class BundleFetchException(string message, Exception? inner = null) : Exception(message, inner);
