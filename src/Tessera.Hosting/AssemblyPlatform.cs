// File modes and Unix sockets: Linux only, like the processes that use this.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
