using Orchest.Engine.Ports;

namespace Orchest.Runners.Process;

/// <summary>
/// A step log that shows a C# step's cached copy under the path the user knows: compiler messages and
/// stack traces name <c>&lt;cache&gt;/&lt;key&gt;/steps/x.cs</c>, the log says <c>steps/x.cs</c>.
/// Disposing it leaves the inner log open (the engine owns it).
/// </summary>
internal sealed class CachePathRewritingLog(IStepLog inner, string cacheEntryRoot) : IStepLog
{
    private readonly string _prefix = Path.TrimEndingDirectorySeparator(cacheEntryRoot) + Path.DirectorySeparatorChar;

    public string Location => inner.Location;

    public ValueTask WriteLineAsync(string line, CancellationToken cancellationToken = default) =>
        inner.WriteLineAsync(Rewrite(line), cancellationToken);

    public IReadOnlyList<string> Tail(int lines) => inner.Tail(lines);

    public string Rewrite(string line) => line.Replace(_prefix, "", StringComparison.Ordinal);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
