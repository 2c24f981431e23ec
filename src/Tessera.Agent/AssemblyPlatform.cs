// The agent runs on Linux: Unix sockets, SO_PEERCRED, /proc, file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
