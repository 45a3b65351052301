namespace Orchest.Engine.Ports;

/// <summary>A step's log, written line by line while the step runs.</summary>
public interface IStepLog : IAsyncDisposable
{
    /// <summary>Where a reader finds this log (a file path or a URL).</summary>
    string Location { get; }

    ValueTask WriteLineAsync(string line, CancellationToken cancellationToken = default);

    /// <summary>The last lines written (for failure summaries).</summary>
    IReadOnlyList<string> Tail(int lines);
}
