using Microsoft.Extensions.Logging;

namespace Tessera.Spiffe.AspNetCore.Tests.Hosting;

/// <summary>A logger provider that keeps every line written, so tests can assert the exact refusal messages.</summary>
internal sealed class LogSink : ILoggerProvider, ILoggerFactory
{
    private readonly List<(string Category, EventId EventId, string Message)> _lines = [];

    public IReadOnlyList<(string Category, EventId EventId, string Message)> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    /// <summary>The messages of event <paramref name="eventId"/>.</summary>
    public IReadOnlyList<string> Messages(int eventId) => [.. Lines.Where(l => l.EventId.Id == eventId).Select(l => l.Message)];

    /// <summary>Waits (time-boxed) until a line of event <paramref name="eventId"/> was written, and returns them all.</summary>
    public async Task<IReadOnlyList<string>> WaitForAsync(int eventId)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (Messages(eventId).Count == 0 && !cts.IsCancellationRequested)
        {
            await Task.Delay(20, CancellationToken.None);
        }

        return Messages(eventId);
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(LogSink sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (sink._lines)
            {
                sink._lines.Add((category, eventId, formatter(state, exception)));
            }
        }
    }
}
