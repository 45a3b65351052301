using System.Text;

namespace Orchest.Runners.Docker;

/// <summary>A build's output: written to its log file line by line, the last lines kept for failure messages.</summary>
internal sealed class BuildOutput : IDisposable
{
    /// <summary>Starts the line that ends a failed build's output with the engine's error.</summary>
    public const string ErrorPrefix = "ERROR: ";

    private const int Kept = 200;
    private readonly string _path;
    private readonly StringBuilder _pending = new();
    private readonly Queue<string> _tail = new();
    private readonly StreamWriter _writer;

    public BuildOutput(string path)
    {
        _path = path;
        _writer = new StreamWriter(path, append: false, new UTF8Encoding(false)) { AutoFlush = true };
    }

    /// <summary>A chunk of build output (a JSON message's <c>stream</c>: part of a line, or several).</summary>
    public void Add(string? chunk)
    {
        if (string.IsNullOrEmpty(chunk))
        {
            return;
        }

        foreach (var c in chunk)
        {
            if (c == '\n')
            {
                Write(_pending.ToString().TrimEnd('\r'));
                _pending.Clear();
            }
            else
            {
                _pending.Append(c);
            }
        }
    }

    /// <summary>A line of ours (what is built, the outcome): in the log file, not in the tail.</summary>
    public void Note(string line) => _writer.WriteLine("# " + line);

    public void Write(string line)
    {
        _writer.WriteLine(line);
        _tail.Enqueue(line);
        if (_tail.Count > Kept)
        {
            _tail.Dequeue();
        }
    }

    /// <summary>Ends the log with the outcome and closes it.</summary>
    public void Complete(string? error)
    {
        if (_pending.Length > 0)
        {
            Write(_pending.ToString());
            _pending.Clear();
        }

        if (error is not null)
        {
            Write(ErrorPrefix + error.TrimEnd());
        }

        Note(error is null ? "build succeeded" : "build failed");
        _writer.Flush();
    }

    public void Dispose() => _writer.Dispose();

    public IReadOnlyList<string> Tail(int lines) => _tail.Skip(Math.Max(0, _tail.Count - lines)).ToList();

    public override string ToString() => _path;
}
