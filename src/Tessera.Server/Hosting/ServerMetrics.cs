using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Tessera.Server.Hosting;

/// <summary>Counters exposed at /metrics in the Prometheus text format (version 0.0.4).</summary>
internal sealed class ServerMetrics(TimeProvider time, ServerStartTime started)
{
    private readonly ConcurrentDictionary<(string Action, string Outcome), long> _auditEvents = new();

    public void CountAuditEvent(string action, string outcome) =>
        _auditEvents.AddOrUpdate((action, outcome), 1, (_, n) => n + 1);

    public string Render(bool ready)
    {
        var text = new StringBuilder();
        text.Append("# HELP tessera_up Whether the server is ready (1) or still starting (0).\n# TYPE tessera_up gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"tessera_up {(ready ? 1 : 0)}\n");
        text.Append("# HELP tessera_uptime_seconds Seconds since the server started.\n# TYPE tessera_uptime_seconds gauge\n");
        text.Append(CultureInfo.InvariantCulture, $"tessera_uptime_seconds {(time.GetUtcNow() - started.Value).TotalSeconds:F0}\n");
        text.Append("# HELP tessera_audit_events_total Audit records written, by action and outcome.\n# TYPE tessera_audit_events_total counter\n");
        foreach (var ((action, outcome), count) in _auditEvents.OrderBy(p => p.Key.Action, StringComparer.Ordinal).ThenBy(p => p.Key.Outcome, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"tessera_audit_events_total{{action=\"{Escape(action)}\",outcome=\"{Escape(outcome)}\"}} {count}\n");
        }

        return text.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
