using Microsoft.Extensions.Logging;

namespace Tessera.Server.Ca.Internal;

/// <summary>The CA's log events (stable ids 3100-3199). Key IDs are logged; key material never is.</summary>
internal static partial class CaLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "{Kind} CA key {KeyId} {Action} (valid {NotBefore:O} to {NotAfter:O})")]
    public static partial void Rotated(ILogger logger, string kind, string keyId, string action, DateTimeOffset notBefore, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "{Kind} CA key {KeyId} from the journal is dropped: {Reason}")]
    public static partial void Dropped(ILogger logger, string kind, string keyId, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "{Kind} CA key {Tainted} tainted and retired at once; key {Activated} is active")]
    public static partial void RotatedNow(ILogger logger, string kind, string tainted, string activated);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Warning, Message = "{Kind} CA key {KeyId} tainted")]
    public static partial void Tainted(ILogger logger, string kind, string keyId);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Warning, Message = "{Kind} CA key {KeyId} removed from the bundle")]
    public static partial void Removed(ILogger logger, string kind, string keyId);
}
