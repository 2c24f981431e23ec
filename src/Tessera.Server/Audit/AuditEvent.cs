namespace Tessera.Server.Audit;

/// <summary>
/// One security-relevant fact: who did what to which target, and how it ended. <paramref name="Caller"/> is
/// how the caller was authenticated (<c>uid:1000 pid:42 /usr/bin/tessera</c> or a SPIFFE ID);
/// <paramref name="Outcome"/> is <c>ok</c>, <c>denied</c> or <c>error</c>; <paramref name="Reason"/> says why
/// for anything but <c>ok</c>. Never put key material or whole tokens in any field.
/// </summary>
internal sealed record AuditEvent(DateTimeOffset Time, string Caller, string Action, string Target, string Outcome, string Reason);
