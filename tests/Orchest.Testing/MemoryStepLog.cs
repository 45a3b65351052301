using System.Collections.Concurrent;
using Orchest.Engine.Ports;

namespace Orchest.Testing;

/// <summary>A step log in memory that tests can wait on.</summary>
public sealed class MemoryStepLog : IStepLog
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly SemaphoreSlim _written = new(0);

    public string Location => "memory";

    public IReadOnlyList<string> Lines => _lines.ToList();

    public string Text => string.Join('\n', _lines);

    public ValueTask WriteLineAsync(string line, CancellationToken cancellationToken = default)
    {
        _lines.Enqueue(line);
        _written.Release();
        return ValueTask.CompletedTask;
    }

    public IReadOnlyList<string> Tail(int lines) => _lines.Skip(Math.Max(0, _lines.Count - lines)).ToList();

    /// <summary>Waits until a line containing <paramref name="text"/> was written.</summary>
    public async Task WaitForAsync(string text, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!_lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
        {
            await _written.WaitAsync(cts.Token);
        }
    }

    public ValueTask DisposeAsync()
    {
        _written.Dispose();
        return ValueTask.CompletedTask;
    }
}
