using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Orchest.Git.Tests.Support;

/// <summary>Every log line (formatted message, then any exception in full) the services under test write.</summary>
public sealed class LogCapture
{
    private readonly ConcurrentQueue<(EventId Id, string Text)> _entries = new();

    public IReadOnlyList<string> Lines => _entries.Select(e => e.Text).ToList();

    public string All => string.Join('\n', Lines);

    public int Count(int eventId) => _entries.Count(e => e.Id.Id == eventId);

    public ILogger<T> For<T>() => new Logger<T>(this);

    private sealed class Logger<T>(LogCapture capture) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The structured values too: a secret must not hide in a property the message does not print.
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(' ', pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            capture._entries.Enqueue((eventId, $"{logLevel} {eventId.Id} {formatter(state, exception)} [{values}] {exception}"));
        }
    }
}
