using Orchest.Engine.Ports;

namespace Orchest.Engine.Embedded;

/// <summary>
/// A step log file, flushed line by line so readers (tail -f, the CLI) see it live. Lines are stored
/// and shown without terminal escape sequences.
/// </summary>
internal sealed class LocalStepLog : IStepLog
{
    private const int TailCapacity = 200;
    private readonly Lock _gate = new();
    private readonly StreamWriter _writer;
    private readonly Queue<string> _tail = new();
    private readonly Action<string>? _onLine;

    public LocalStepLog(string path, bool append, Action<string>? onLine)
    {
        Location = path;
        _onLine = onLine;
        var stream = new FileStream(path, append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream) { AutoFlush = true, NewLine = "\n" };
    }

    public string Location { get; }

    public ValueTask WriteLineAsync(string line, CancellationToken cancellationToken = default)
    {
        line = TerminalEscapes.Strip(line);
        lock (_gate)
        {
            _writer.WriteLine(line);
            _tail.Enqueue(line);
            if (_tail.Count > TailCapacity)
            {
                _tail.Dequeue();
            }
        }

        _onLine?.Invoke(line);
        return ValueTask.CompletedTask;
    }

    /// <summary>A line between attempts, written to the file only.</summary>
    public void WriteSeparator(string line)
    {
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    public IReadOnlyList<string> Tail(int lines)
    {
        lock (_gate)
        {
            return _tail.Skip(Math.Max(0, _tail.Count - lines)).ToList();
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _writer.Dispose();
        }

        return ValueTask.CompletedTask;
    }
}
