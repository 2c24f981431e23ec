using System.Threading.Channels;
using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Agent.Hosting;
using Tessera.Agent.Internal;
using Tessera.Agent.NodeAttestation;
using Tessera.Agent.NodeClient;
using Tessera.Contracts.Node.V1;

namespace Tessera.Agent.Reporting;

/// <summary>
/// <see cref="IWorkloadEventSink"/> that queues events (bounded: the oldest is dropped, with a log line, when
/// <see cref="Capacity"/> are waiting) and forwards them in batches to the server's <c>ReportEvents</c> in the
/// background. A batch that fails is retried with backoff; reporting never slows the Workload API down.
/// </summary>
internal sealed partial class WorkloadEventReporter : BackgroundService, IWorkloadEventSink
{
    public const int Capacity = 10_000;
    public const int MaxBatch = 500;
    private const int MaxAttempts = 5;

    private readonly Channel<WorkloadEvent> _queue;
    private readonly NodeConnection _connection;
    private readonly AgentIdentity _identity;
    private readonly AgentMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public WorkloadEventReporter(NodeConnection connection, AgentIdentity identity, AgentMetrics metrics, TimeProvider time, ILogger<WorkloadEventReporter> logger)
    {
        _connection = connection;
        _identity = identity;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<WorkloadEvent>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            dropped =>
            {
                _metrics.CountEventDropped();

                // One line for the first drop and one per thousand after: a flood must not also flood the log.
                var total = _metrics.EventsDropped;
                if (total == 1 || total % 1000 == 0)
                {
                    Log.Dropped(_logger, total, dropped.Action, dropped.Outcome);
                }
            });
    }

    public void Report(WorkloadEvent workloadEvent)
    {
        if (workloadEvent is not null)
        {
            _queue.Writer.TryWrite(workloadEvent);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                var batch = new List<WorkloadEvent>();
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await _identity.WaitForSvidAsync(stoppingToken).ConfigureAwait(false);
                for (var attempt = 1; ; attempt++)
                {
                    var error = await SendAsync(batch, stoppingToken).ConfigureAwait(false);
                    if (error is null)
                    {
                        backoff.Reset();
                        break;
                    }

                    if (attempt == MaxAttempts)
                    {
                        Log.GaveUp(_logger, batch.Count, error);
                        break;
                    }

                    await Task.Delay(backoff.Next(), _time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down; queued events are lost with the process, as the audit trail on the server says nothing of them
        }
    }

    private async Task<string?> SendAsync(List<WorkloadEvent> batch, CancellationToken cancellationToken)
    {
        var request = new ReportEventsRequest();
        request.Events.AddRange(batch.Select(e => new AgentEvent
        {
            Time = e.Time.ToUnixTimeMilliseconds(),
            Caller = e.Caller,
            Action = e.Action,
            Target = e.Target,
            Outcome = e.Outcome,
            Reason = e.Reason,
        }));
        try
        {
            await _connection.Client.ReportEventsAsync(request, NodeConnection.Deadline(_connection.Settings.CallTimeout, cancellationToken)).ConfigureAwait(false);
            return null;
        }
        catch (RpcException ex)
        {
            return _connection.Describe(ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1600, Level = LogLevel.Warning, Message = "workload event queue full: dropped the oldest event ({Action} {Outcome}); {Total} dropped so far")]
        public static partial void Dropped(ILogger logger, long total, string action, string outcome);

        [LoggerMessage(EventId = 1601, Level = LogLevel.Warning, Message = "could not report {Count} workload events to the server: {Error}; dropped them")]
        public static partial void GaveUp(ILogger logger, int count, string error);
    }
}
