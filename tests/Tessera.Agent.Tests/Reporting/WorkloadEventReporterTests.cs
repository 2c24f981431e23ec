using Microsoft.Extensions.DependencyInjection;
using Tessera.Agent.Reporting;
using Tessera.Agent.Tests.Fakes;

namespace Tessera.Agent.Tests.Reporting;

public sealed class WorkloadEventReporterTests
{
    [Fact]
    public async Task Report_ForwardsEventsToServerInBatches()
    {
        await using var server = await FakeNodeServer.StartAsync();
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        var sink = agent.Services.GetRequiredService<IWorkloadEventSink>();
        var at = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

        sink.Report(new WorkloadEvent(at, "uid:1001 pid:4242 exe:/usr/bin/curl", "workload.fetch_x509_svid", "", "denied", "no entry matches the caller's selectors"));

        await TestAgent.UntilAsync(() => !server.EventBatches.IsEmpty, "the event at the server");
        var received = Assert.Single(Assert.Single(server.EventBatches));
        Assert.Equal(at.ToUnixTimeMilliseconds(), received.Time);
        Assert.Equal("uid:1001 pid:4242 exe:/usr/bin/curl", received.Caller);
        Assert.Equal("workload.fetch_x509_svid", received.Action);
        Assert.Equal("denied", received.Outcome);
        Assert.Equal("no entry matches the caller's selectors", received.Reason);
    }

    [Fact]
    public async Task Report_QueueFull_DropsOldestKeepsNewest()
    {
        await using var server = await FakeNodeServer.StartAsync();
        server.Down = true; // nothing can be sent until the test says so: the queue fills up
        using var directory = new TempDirectory();
        await using var agent = await TestAgent.StartAsync(TestAgent.OptionsFor(server, directory));
        var sink = agent.Services.GetRequiredService<IWorkloadEventSink>();
        const int Reported = WorkloadEventReporter.Capacity + 700;

        for (var i = 0; i < Reported; i++)
        {
            sink.Report(new WorkloadEvent(DateTimeOffset.UtcNow, "uid:1", "workload.fetch_x509_svid", $"t{i}", "denied", "test"));
        }

        server.Down = false;
        var dropped = agent.Metrics.EventsDropped;
        Assert.True(dropped >= 200, $"dropped {dropped}"); // at most one batch (500) left the queue before it filled
        await TestAgent.UntilAsync(() => server.EventBatches.Sum(b => b.Length) == Reported - dropped, "every kept event at the server", seconds: 60);

        var targets = server.EventBatches.SelectMany(b => b).Select(e => int.Parse(e.Target[1..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(targets.Order(), targets);
        Assert.Equal(Reported - 1, targets[^1]);
        Assert.All(server.EventBatches, b => Assert.InRange(b.Length, 1, WorkloadEventReporter.MaxBatch));
    }
}
