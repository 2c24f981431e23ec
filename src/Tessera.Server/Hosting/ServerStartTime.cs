namespace Tessera.Server.Hosting;

/// <summary>When this server process started serving.</summary>
internal sealed record ServerStartTime(DateTimeOffset Value);
