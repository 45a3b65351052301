using Microsoft.Extensions.Logging;
using Orchest.Engine.Execution;

namespace Orchest.Benchmarks.Contenders;

/// <summary>
/// Counts the engine's "transition conflict, retrying" events (EventId 1000): each one is a re-read,
/// a re-decide and a 1-5+ ms back-off, so the count explains where parallel DAGs lose time.
/// Everything else the engine logs is dropped unformatted.
/// </summary>
public sealed class ConflictCountingLogger : ILogger<RunEngine>
{
    private const int TransitionConflictEventId = 1000;
    private int _conflicts;

    public int Conflicts => Volatile.Read(ref _conflicts);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (eventId.Id == TransitionConflictEventId)
        {
            Interlocked.Increment(ref _conflicts);
        }
    }
}
