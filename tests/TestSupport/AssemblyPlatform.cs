// Tessera's server, agent and their tests run on Linux (Unix sockets, SO_PEERCRED, file modes).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
