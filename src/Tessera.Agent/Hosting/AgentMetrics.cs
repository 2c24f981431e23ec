using System.Globalization;
using System.Text;
using Tessera.Agent.Cache;
using Tessera.Agent.NodeAttestation;

namespace Tessera.Agent.Hosting;

/// <summary>Counters and gauges exposed at /metrics in the Prometheus text format (version 0.0.4).</summary>
internal sealed class AgentMetrics
{
    private long _syncReconnects;
    private long _rotations;
    private long _signFailures;
    private long _eventsDropped;

    public long SyncReconnects => Interlocked.Read(ref _syncReconnects);

    public long Rotations => Interlocked.Read(ref _rotations);

    public long EventsDropped => Interlocked.Read(ref _eventsDropped);

    public void CountSyncReconnect() => Interlocked.Increment(ref _syncReconnects);

    public void CountRotations(int count) => Interlocked.Add(ref _rotations, count);

    public void CountSignFailures(int count) => Interlocked.Add(ref _signFailures, count);

    public void CountEventDropped() => Interlocked.Increment(ref _eventsDropped);

    public string Render(CacheSnapshot cache, AgentIdentity identity, bool ready)
    {
        ArgumentNullException.ThrowIfNull(cache);
        ArgumentNullException.ThrowIfNull(identity);
        var text = new StringBuilder();
        Gauge(text, "tessera_agent_ready", "Whether the agent is attested and has synced (1) or not (0).", ready ? 1 : 0);
        Gauge(text, "tessera_agent_attested", "Whether the agent holds an agent SVID the server accepts.", identity.Svid is not null && !identity.Refused ? 1 : 0);
        Gauge(text, "tessera_agent_entries", "Registration entries the agent holds.", cache.Entries.Count);
        Gauge(text, "tessera_agent_svids", "X509-SVIDs the agent holds for its entries.", cache.Svids.Count);
        Gauge(text, "tessera_agent_bundles", "Trust bundles (own and federated) the agent serves.", cache.Bundles.Count);
        Counter(text, "tessera_agent_sync_reconnects_total", "Times the Sync stream was opened again after it ended or failed.", SyncReconnects);
        Counter(text, "tessera_agent_svid_rotations_total", "X509-SVIDs signed for entries (first issue and rotations).", Rotations);
        Counter(text, "tessera_agent_svid_sign_failures_total", "X509-SVID requests the server refused or that failed.", Interlocked.Read(ref _signFailures));
        Counter(text, "tessera_agent_events_dropped_total", "Workload events dropped because the report queue was full.", EventsDropped);
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, long value) => Write(text, name, help, "gauge", value);

    private static void Counter(StringBuilder text, string name, string help, long value) => Write(text, name, help, "counter", value);

    private static void Write(StringBuilder text, string name, string help, string type, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}
