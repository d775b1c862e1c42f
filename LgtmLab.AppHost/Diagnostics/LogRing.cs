using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace LgtmLab.AppHost.Diagnostics;

/// <summary>
/// The last lines the lab logged to its resources (the AppHost log of a diagnostics bundle), bounded so a long session
/// never grows it: the controller wraps every logger it is given, and the oldest line goes when the ring is full.
/// Lines are kept as logged; the bundle redacts them when it writes them.
/// </summary>
internal sealed class LogRing(int capacity = 20_000)
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>A logger that writes to <paramref name="inner"/> and keeps each line, tagged with <paramref name="resource"/>.</summary>
    public ILogger Wrap(string resource, ILogger inner) => new RingLogger(this, resource, inner);

    public Func<string, ILogger> Wrap(Func<string, ILogger> loggerFor) => resource => Wrap(resource, loggerFor(resource));

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > capacity && _lines.TryDequeue(out _)) { }
    }

    private sealed class RingLogger(LogRing ring, string resource, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug || inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel >= LogLevel.Debug)
            {
                var at = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
                ring.Add($"{at} {logLevel,-11} [{resource}] {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
            }
            inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
