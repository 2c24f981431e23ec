namespace Tessera.Server.Federation;

/// <summary>Marks a connection accepted on the bundle endpoint listener, which serves the bundle at <c>/</c> and nothing else.</summary>
internal sealed class BundleEndpointConnectionFeature;
