// The server and the CLI that hosts it run on Linux: Unix sockets, SO_PEERCRED, file modes.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
